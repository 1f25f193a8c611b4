using Edge.Actors.Abstractions;

namespace Edge.Actors.Grains.Common;

/// <summary>What a pure decision function chose: the events to record, or the refusal with its reason.</summary>
internal readonly record struct Decision(IReadOnlyList<IDomainEvent> Events, Refusal? Refusal)
{
    public static readonly Decision Nothing = new([], null);

    public static Decision Accept(params IDomainEvent[] events) => new(events, null);

    public static Decision Refuse(EdgeErrorCode code, string message, string? field = null) => new([], new Refusal(code, message, field));

    public static implicit operator Decision(Refusal refusal) => new([], refusal);

    public bool IsRefused => Refusal is not null;
}
