using System.Collections.Concurrent;
using System.Net;
using Edge.Actors.Mqtt.Bridge;
using Edge.Actors.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Edge.Actors.Mqtt.Tests;

/// <summary>
/// Who may do what on the site's broker, driven by Mosquitto's own client: devices authenticate with their own
/// passwords and may publish only their own EdgeX topics, host agents only their own heartbeats. The same tests hold for the embedded broker and for
/// Mosquitto configured with <c>docker/mosquitto</c>'s ACL.
/// </summary>
public abstract class BrokerAccessTests : IAsyncLifetime
{
    protected const string BridgePassword = "bridge-secret";
    protected const string Device = "thermo-1";
    protected const string DevicePassword = "thermo-secret";
    protected const string Agent = "worker-0";
    protected const string AgentPassword = "worker-secret";

    private readonly ConcurrentQueue<string> _topics = new();
    private MqttConnection? _bridge;

    protected int Port { get; private set; }

    /// <summary>Starts the broker with the bridge's user (<see cref="MqttSettings.BridgeUser"/>) and <see cref="Device"/>; returns its port.</summary>
    protected abstract Task<int> StartBrokerAsync();

    protected abstract ValueTask StopBrokerAsync();

    /// <summary>How mosquitto_pub reports this broker's CONNACK for a bad login (MQTT 5 leaves brokers the choice of reason code).</summary>
    protected abstract string LoginRefusal { get; }

    public async Task InitializeAsync()
    {
        Port = await StartBrokerAsync();
        _bridge = new MqttConnection(new MqttEndpoint(MosquittoServer.Host, Port, $"bridge-{Guid.NewGuid():N}", MqttSettings.BridgeUser, BridgePassword), [Topics.EdgeXSubscription, Topics.HeartbeatSubscription], (topic, _, _) =>
        {
            _topics.Enqueue(topic);
            return Task.CompletedTask;
        }, NullLogger.Instance);
        await _bridge.StartAsync();
        await Eventually.MatchAsync(() => Task.FromResult(_bridge.IsConnected), c => c, TimeSpan.FromSeconds(30), "the bridge connected");
    }

    public async Task DisposeAsync()
    {
        if (_bridge is not null)
        {
            await _bridge.DisposeAsync();
        }

        await StopBrokerAsync();
    }

    private Task<string> PublishAsync(string user, string password, string topic) => MosquittoClients.PublishAsync(Port, user, password, topic, "{}");

    [Fact]
    public async Task Device_publishing_its_own_EdgeX_topics_reaches_the_bridge_and_another_devices_topic_does_not()
    {
        try
        {
            await PublishAsync(Device, DevicePassword, "edgex/events/device/modbus/thermo/thermo-2/temperature");
        }
        catch (InvalidOperationException)
        {
            // mosquitto_pub may report the refusal (PUBACK "not authorised") as a failure; either way nothing is delivered.
        }

        await PublishAsync(Device, DevicePassword, $"edgex/events/device/modbus/thermo/{Device}/temperature");
        await PublishAsync(Device, DevicePassword, $"edgex/events/device/thermo/{Device}/humidity");

        // One client after the other, each waiting for its PUBACK: had the broker taken the forged message, the bridge
        // would have received it first.
        await Eventually.MatchAsync(() => Task.FromResult(_topics.Count), n => n >= 2, TimeSpan.FromSeconds(10), "the device's own two events");
        Assert.Equal([$"edgex/events/device/modbus/thermo/{Device}/temperature", $"edgex/events/device/thermo/{Device}/humidity"], _topics);
    }

    [Fact]
    public async Task Host_agent_may_publish_its_own_heartbeats_and_not_another_hosts_or_a_devices_events()
    {
        foreach (var forged in new[] { Topics.Heartbeat("s-042", "worker-1"), $"edgex/events/device/thermo/{Device}/temperature" })
        {
            try
            {
                await PublishAsync(Agent, AgentPassword, forged);
            }
            catch (InvalidOperationException)
            {
                // mosquitto_pub may report the refusal as a failure; either way nothing is delivered.
            }
        }

        await PublishAsync(Agent, AgentPassword, Topics.Heartbeat("s-042", Agent));

        await Eventually.MatchAsync(() => Task.FromResult(_topics.Count), n => n >= 1, TimeSpan.FromSeconds(10), "the agent's own heartbeat");
        Assert.Equal([Topics.Heartbeat("s-042", Agent)], _topics);
    }

    [Fact]
    public async Task Client_with_a_wrong_password_or_an_unknown_user_is_refused()
    {
        var wrong = await Assert.ThrowsAsync<InvalidOperationException>(() => PublishAsync(Device, "not-it", $"edgex/events/device/thermo/{Device}/temperature"));
        var unknown = await Assert.ThrowsAsync<InvalidOperationException>(() => PublishAsync("stranger", "x", $"edgex/events/device/thermo/{Device}/temperature"));

        Assert.Contains($"Connection error: {LoginRefusal}", wrong.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"Connection error: {LoginRefusal}", unknown.Message, StringComparison.OrdinalIgnoreCase);
        // Then a good one, so that an empty list means refused rather than not yet delivered.
        await PublishAsync(Device, DevicePassword, $"edgex/events/device/thermo/{Device}/temperature");
        await Eventually.MatchAsync(() => Task.FromResult(_topics.Count), n => n >= 1, TimeSpan.FromSeconds(10), "the device's own event");
        Assert.Equal([$"edgex/events/device/thermo/{Device}/temperature"], _topics);
    }
}

/// <summary>The embedded broker the silo starts by default, with its per-device topic rules.</summary>
public sealed class EmbeddedBrokerAccessTests : BrokerAccessTests
{
    private EmbeddedBroker? _broker;

    protected override string LoginRefusal => "bad user name or password";

    protected override async Task<int> StartBrokerAsync()
    {
        var port = LoopbackPorts.Free();
        _broker = await EmbeddedBroker.StartAsync(IPAddress.Loopback, port, [new BrokerUser(MqttSettings.BridgeUser, BridgePassword, ["#"], ["#"]), BrokerUser.Device(Device, DevicePassword), BrokerUser.Agent(Agent, AgentPassword)], NullLogger.Instance);
        return port;
    }

    protected override async ValueTask StopBrokerAsync()
    {
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }
    }
}

/// <summary>Mosquitto (Debian's package) with the password file a site would write and <c>docker/mosquitto/acl</c>.</summary>
public sealed class MosquittoAccessTests : BrokerAccessTests
{
    private MosquittoServer? _broker;

    protected override string LoginRefusal => "not authorized";

    protected override async Task<int> StartBrokerAsync()
    {
        _broker = await MosquittoServer.StartWithDockerAclAsync(new Dictionary<string, string> { [MqttSettings.BridgeUser] = BridgePassword, [Device] = DevicePassword, [Agent] = AgentPassword });
        return _broker.Port;
    }

    protected override async ValueTask StopBrokerAsync()
    {
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }
    }
}
