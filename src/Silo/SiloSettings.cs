using System.Net;

namespace Edge.Actors.Silo;

/// <summary>How one silo runs: where its state is, which cluster it joins and on which ports.</summary>
internal sealed record SiloSettings(
    string DataFolder,
    string? PostgresConnectionString,
    bool SeedDemo,
    string ClusterId,
    IPAddress AdvertisedAddress,
    int SiloPort,
    int GatewayPort,
    Edge.Actors.Gateway.GatewaySettings Gateway)
{
    public const string DataFolderKey = "Edge:DataFolder";
    public const string PostgresKey = "Edge:Postgres";
    public const string ClusterIdKey = "Edge:ClusterId";
    public const string MembershipSection = "Edge:Membership";
    public const string ServiceId = "edge-actors";

    /// <summary>The MQTT bridge, with the embedded broker unless an external one is named; null runs no bridge.</summary>
    public Edge.Actors.Mqtt.Bridge.MqttSettings? Mqtt { get; init; }

    /// <summary>The SQLite event store of the embedded default.</summary>
    public string EventStoreFile => Path.GetFullPath(Path.Combine(DataFolder, "events.db"));
}
