using System.Text.Json;
using Edge.Actors.Abstractions;
using Edge.Actors.EventStore;
using Edge.Actors.EventStore.Serialization;
using Edge.Actors.Grains.Common;
using Edge.Actors.Grains.Devices;

namespace Edge.Actors.Grains.Tests.Domain;

/// <summary>Device events as the store holds them (schema version 1): they must keep loading into the same state.</summary>
public sealed class DeviceEventReplayTests
{
    private const string Rule = """{"resource":"temperature","direction":"Above","limit":80,"hysteresis":2,"severity":"Major"}""";

    private static readonly (string Type, string Payload)[] Recorded =
    [
        ("edge.request-accepted", """{"requestId":"p1"}"""),
        ("edge.device-provisioned", $$"""{"site":"s1","name":"thermo-1","service":"device-modbus","profile":"thermo","rules":[{{Rule}}],"offlineWindowSeconds":30}"""),
        ("edge.device-went-online", """{"at":"2030-05-01T12:00:00+00:00"}"""),
        ("edge.threshold-crossed", """{"resource":"temperature","direction":"Above","value":85.5,"at":"2030-05-01T12:00:01+00:00"}"""),
        ("edge.device-rules-changed", $$"""{"rules":[{{Rule}},{"resource":"humidity","direction":"Below","limit":10,"hysteresis":0,"severity":"Warning"}]}"""),
        ("edge.threshold-crossed", """{"resource":"humidity","direction":"Below","value":4,"at":"2030-05-01T12:00:02+00:00"}"""),
        ("edge.threshold-cleared", """{"resource":"temperature","direction":"Above","value":70,"at":"2030-05-01T12:00:03+00:00"}"""),
        ("edge.device-went-offline", """{"lastSeen":"2030-05-01T12:00:03+00:00","at":"2030-05-01T12:00:40+00:00"}"""),
    ];

    private static EventTypeRegistry Registry()
    {
        var registry = new EventTypeRegistry();
        DomainEvents.Register(registry);
        return registry;
    }

    private static IDomainEvent Load(EventTypeRegistry registry, string type, string payload, long version) =>
        (IDomainEvent)registry.FromRecorded(new RecordedEvent("device/s1/thermo-1", version, version, Guid.NewGuid(), type, 1, payload, DateTimeOffset.UnixEpoch));

    [Fact]
    public void RecordedDeviceEvents_Replay_IntoTheStateTheyDescribe()
    {
        var registry = Registry();

        var device = Given.State<DeviceState>([.. Recorded.Select((e, i) => Load(registry, e.Type, e.Payload, i + 1))]);

        Assert.Equal(("s1", "thermo-1", "device-modbus", "thermo", 30), (device.Site, device.Name, device.Service, device.Profile, device.OfflineWindowSeconds));
        Assert.Equal([new ThresholdRule("temperature", ThresholdDirection.Above, 80, 2, AlarmSeverity.Major), new ThresholdRule("humidity", ThresholdDirection.Below, 10, 0, AlarmSeverity.Warning)], device.Rules);
        Assert.Equal([new ThresholdCrossing("humidity", ThresholdDirection.Below, 4, new DateTimeOffset(2030, 5, 1, 12, 0, 2, TimeSpan.Zero))], device.Crossings);
        Assert.False(device.Online);
        Assert.True(device.IsLive);

        device.Apply(Load(registry, "edge.device-deleted", "{}", 9));
        Assert.Equal((false, true), (device.IsLive, device.Deleted));
        Assert.Empty(device.Crossings);
    }

    [Fact]
    public void RecordedSiteDeviceList_Replays_AndItsSnapshotRoundTrips()
    {
        var registry = Registry();
        var list = Given.State<SiteDevicesState>(
            Load(registry, "edge.device-listed", """{"device":"valve-1"}""", 1),
            Load(registry, "edge.device-listed", """{"device":"thermo-1"}""", 2),
            Load(registry, "edge.device-unlisted", """{"device":"valve-1"}""", 3),
            Load(registry, "edge.device-listed", """{"device":"pump-1"}""", 4));

        Assert.Equal(["pump-1", "thermo-1"], list.Devices);
        var json = JsonSerializer.Serialize(list, EventTypeRegistry.JsonOptions);
        Assert.Equal(json, JsonSerializer.Serialize(JsonSerializer.Deserialize<SiteDevicesState>(json, EventTypeRegistry.JsonOptions), EventTypeRegistry.JsonOptions));
    }
}
