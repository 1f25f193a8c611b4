namespace Edge.Actors.Abstractions;

/// <summary>
/// One EdgeX device of a site, keyed <c>site/device</c>: its service, profile and threshold rules, whether it is online,
/// and its last readings. Readings are kept in memory only; the device records events only when something changes:
/// provisioned, rules changed, online, offline, a threshold crossed or cleared. Crossings and silence raise alarms
/// 900.001 and 900.002 in the site's alarm grain.
/// </summary>
public interface IDeviceGrain : IGrainWithStringKey
{
    /// <summary>Provisions the device with its rules; refused (AlreadyExists) when it is provisioned already under another request.</summary>
    Task<DeviceView> ProvisionAsync(ProvisionDevice command, CancellationToken cancellationToken = default);

    /// <summary>Replaces the device's threshold rules; crossings of rules that are gone are cleared, the last values are weighed against the new rules.</summary>
    Task<DeviceView> UpdateRulesAsync(UpdateDeviceRules command, CancellationToken cancellationToken = default);

    /// <summary>Deletes the device, clearing its alarms; a later event from it is UnknownDevice.</summary>
    Task<DeviceView> DeleteAsync(string requestId, CancellationToken cancellationToken = default);

    /// <summary>The device with its last readings and active crossings; NotFound when it is not provisioned.</summary>
    Task<DeviceView> GetAsync(CancellationToken cancellationToken = default);

    /// <summary>Takes one EdgeX event from the bridge: last values in memory, and events only for what it changes.</summary>
    Task<IngestOutcome> IngestAsync(DeviceEvent deviceEvent, CancellationToken cancellationToken = default);
}

/// <summary>What became of an EdgeX event handed to a device.</summary>
public enum IngestOutcome
{
    /// <summary>Taken: its readings are the device's last values.</summary>
    Accepted,

    /// <summary>An event id the device saw recently (an MQTT QoS 1 redelivery): nothing changed.</summary>
    Duplicate,

    /// <summary>The device is not provisioned; the bridge may provision it (auto-provisioning) and send the event again.</summary>
    UnknownDevice,
}

/// <summary>Which side of its limit a value crosses a rule on.</summary>
public enum ThresholdDirection
{
    Above,
    Below,
}

/// <summary>
/// A threshold on one resource of a device: crossed when a value goes past <see cref="Limit"/> (strictly above or
/// below it), cleared when it comes back past the limit by <see cref="Hysteresis"/> (Above: at or under
/// limit − hysteresis; Below: at or over limit + hysteresis), so a value hovering at the limit does not flap.
/// </summary>
[GenerateSerializer, Immutable, Alias("edge.threshold-rule")]
public sealed record ThresholdRule(
    [property: Id(0)] string Resource,
    [property: Id(1)] ThresholdDirection Direction,
    [property: Id(2)] double Limit,
    [property: Id(3)] double Hysteresis,
    [property: Id(4)] AlarmSeverity Severity);

[GenerateSerializer, Immutable, Alias("edge.provision-device")]
public sealed record ProvisionDevice(
    [property: Id(0)] string RequestId,
    [property: Id(1)] string Service,
    [property: Id(2)] string Profile,
    [property: Id(3)] IReadOnlyList<ThresholdRule> Rules,
    [property: Id(4)] int OfflineWindowSeconds = DeviceRules.DefaultOfflineWindowSeconds);

[GenerateSerializer, Immutable, Alias("edge.update-device-rules")]
public sealed record UpdateDeviceRules(
    [property: Id(0)] string RequestId,
    [property: Id(1)] IReadOnlyList<ThresholdRule> Rules);

/// <summary>The last value of one resource: as EdgeX sent it, its number when numeric, its units, and when it was read.</summary>
[GenerateSerializer, Immutable, Alias("edge.device-last-reading")]
public sealed record LastReading(
    [property: Id(0)] string Resource,
    [property: Id(1)] string ValueType,
    [property: Id(2)] string Value,
    [property: Id(3)] double? Number,
    [property: Id(4)] string Units,
    [property: Id(5)] DateTimeOffset Time);

/// <summary>A rule the device's value is past: since when, and the value that crossed it.</summary>
[GenerateSerializer, Immutable, Alias("edge.threshold-crossing")]
public sealed record ThresholdCrossing(
    [property: Id(0)] string Resource,
    [property: Id(1)] ThresholdDirection Direction,
    [property: Id(2)] double Value,
    [property: Id(3)] DateTimeOffset Since);

[GenerateSerializer, Immutable, Alias("edge.device-view")]
public sealed record DeviceView(
    [property: Id(0)] string Site,
    [property: Id(1)] string Name,
    [property: Id(2)] string Service,
    [property: Id(3)] string Profile,
    [property: Id(4)] IReadOnlyList<ThresholdRule> Rules,
    [property: Id(5)] int OfflineWindowSeconds,
    [property: Id(6)] bool Online,
    [property: Id(7)] DateTimeOffset? LastSeen,
    [property: Id(8)] IReadOnlyList<LastReading> Readings,
    [property: Id(9)] IReadOnlyList<ThresholdCrossing> Crossings,
    [property: Id(10)] bool Deleted,
    [property: Id(11)] long Version);

/// <summary>Limits of a device's settings, shared by the grain and the API.</summary>
public static class DeviceRules
{
    public const int DefaultOfflineWindowSeconds = 60;
    public const int MinOfflineWindowSeconds = 1;

    /// <summary>A week: a device silent longer than that is offline whatever its window says.</summary>
    public const int MaxOfflineWindowSeconds = 7 * 24 * 3600;

    public const int MaxRules = 64;

    /// <summary>The longest service, profile or resource name (EdgeX names are free text, not DNS labels).</summary>
    public const int MaxTextLength = 128;
}
