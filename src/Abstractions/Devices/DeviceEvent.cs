namespace Edge.Actors.Abstractions;

/// <summary>
/// One EdgeX event as the MQTT bridge parsed it: which device service, profile, device and source sent it, and its
/// readings. Readings are not domain events: a device grain keeps the last values in memory only.
/// </summary>
[GenerateSerializer, Immutable, Alias("edge.device-event")]
public sealed record DeviceEvent(
    [property: Id(0)] string? Service,
    [property: Id(1)] string Profile,
    [property: Id(2)] string Device,
    [property: Id(3)] string Source,
    [property: Id(4)] string EventId,
    [property: Id(5)] long OriginNs,
    [property: Id(6)] IReadOnlyList<DeviceReading> Readings,
    [property: Id(7)] IReadOnlyDictionary<string, string>? Tags = null);

/// <summary>
/// One EdgeX reading. <see cref="ValueType"/> is EdgeX's name (Bool, String, Uint8…Uint64, Int8…Int64, Float32,
/// Float64, the same with <c>Array</c>, Binary, Object). <see cref="Value"/> is the value as EdgeX sent it (text);
/// <see cref="Number"/> is set for a numeric (or bool: 1/0) scalar so threshold rules can compare it;
/// <see cref="Binary"/> and <see cref="MediaType"/> for Binary; <see cref="ObjectJson"/> for Object.
/// </summary>
[GenerateSerializer, Immutable, Alias("edge.device-reading")]
public sealed record DeviceReading(
    [property: Id(0)] string Resource,
    [property: Id(1)] string ValueType,
    [property: Id(2)] string? Value,
    [property: Id(3)] double? Number,
    [property: Id(4)] byte[]? Binary,
    [property: Id(5)] string? MediaType,
    [property: Id(6)] string? ObjectJson,
    [property: Id(7)] string? Units,
    [property: Id(8)] long OriginNs);
