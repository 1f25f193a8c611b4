using System.Diagnostics.CodeAnalysis;
using Edge.Actors.Abstractions;

namespace Edge.Actors.Mqtt;

/// <summary>Why a southbound message was dead-lettered. The numbers are stable: dashboards and counters key on them.</summary>
public enum DeadLetterReason
{
    /// <summary>The payload is larger than the bridge accepts.</summary>
    Oversize = 1,
    /// <summary>The payload is not one well-formed JSON value (or repeats a property).</summary>
    MalformedJson = 2,
    /// <summary>A required field is absent or null.</summary>
    MissingField = 3,
    /// <summary>A field has the wrong JSON type (a number where a string belongs…).</summary>
    WrongType = 4,
    /// <summary>A field has the right type but a value out of range or not of its declared value type.</summary>
    BadValue = 5,
    /// <summary>The payload names a different device, profile or source than its topic.</summary>
    TopicMismatch = 6,
    /// <summary>The topic is not one the bridge understands.</summary>
    UnparsableTopic = 7,
    /// <summary>The device is not provisioned on this site.</summary>
    UnknownDevice = 8,
    /// <summary>The publisher may not publish on this topic.</summary>
    Unauthorized = 9,
}

/// <summary>A refused message: a machine-readable <see cref="Code"/> and a human <see cref="Reason"/> naming the field.</summary>
public sealed record DeadLetter(DeadLetterReason Code, string Reason);

/// <summary>The outcome of parsing one EdgeX message: a <see cref="DeviceEvent"/> or a <see cref="DeadLetter"/>.</summary>
public sealed record EdgeXParseResult
{
    private EdgeXParseResult(DeviceEvent? @event, DeadLetter? deadLetter) => (Event, DeadLetter) = (@event, deadLetter);

    public DeviceEvent? Event { get; }

    public DeadLetter? DeadLetter { get; }

    [MemberNotNullWhen(true, nameof(Event))]
    [MemberNotNullWhen(false, nameof(DeadLetter))]
    public bool IsEvent => Event is not null;

    public static EdgeXParseResult Ok(DeviceEvent @event) => new(@event, null);

    public static EdgeXParseResult Refused(DeadLetterReason code, string reason) => new(null, new DeadLetter(code, reason));
}
