namespace Edge.Actors.Mqtt.Bridge;

/// <summary>
/// How the bridge reaches its broker: an external one (<see cref="BrokerHost"/> set, e.g. Mosquitto) or, by default,
/// the embedded broker it starts on <see cref="Port"/> of the loopback address.
/// </summary>
public sealed record MqttSettings
{
    public const string Section = "Edge:Mqtt";
    public const string BridgeUser = "edge-bridge";

    /// <summary>The external broker's host; null runs the embedded broker.</summary>
    public string? BrokerHost { get; init; }

    public int Port { get; init; } = 1883;

    public string? Username { get; init; }

    public string? Password { get; init; }

    public bool UseTls { get; init; }

    /// <summary>The site whose devices this bridge serves (EdgeX topics carry no site).</summary>
    public string Site { get; init; } = "local";

    /// <summary>Payloads larger than this are dead-lettered unread.</summary>
    public int MaxPayloadBytes { get; init; } = 64 * 1024;

    /// <summary>Provision a device the first time it publishes, instead of dead-lettering its events as unknown.</summary>
    public bool AutoProvision { get; init; }

    /// <summary>Embedded broker: each device's password (its user name is its device name).</summary>
    public IReadOnlyDictionary<string, string> Devices { get; init; } = new Dictionary<string, string>();

    /// <summary>Embedded broker: each host agent's password (its user name is its host name) for heartbeats over MQTT.</summary>
    public IReadOnlyDictionary<string, string> Agents { get; init; } = new Dictionary<string, string>();

    /// <summary>Embedded broker: monitoring systems' passwords; they may subscribe to the platform's topics (<c>edge/#</c>) and publish nothing.</summary>
    public IReadOnlyDictionary<string, string> Monitors { get; init; } = new Dictionary<string, string>();

    /// <summary>Where the bridge remembers how far it has published the platform's events; null starts at the newest.</summary>
    public string? StateFolder { get; init; }

    public bool Embedded => BrokerHost is null;
}
