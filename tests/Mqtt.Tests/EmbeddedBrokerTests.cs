using System.Collections.Concurrent;
using System.Net;
using Edge.Actors.Mqtt.Bridge;
using Edge.Actors.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Edge.Actors.Mqtt.Tests;

/// <summary>The embedded broker's authentication and per-device topic rules, driven by Mosquitto's own client.</summary>
public sealed class EmbeddedBrokerTests : IAsyncLifetime
{
    private readonly int _port = LoopbackPorts.Free();
    private readonly ConcurrentQueue<string> _topics = new();
    private EmbeddedBroker? _broker;
    private MqttConnection? _bridge;

    public async Task InitializeAsync()
    {
        _broker = await EmbeddedBroker.StartAsync(IPAddress.Loopback, _port, [new BrokerUser("bridge", "bridge-secret", ["#"], ["#"]), BrokerUser.Device("thermo-1", "thermo-secret")], NullLogger.Instance);
        _bridge = new MqttConnection(new MqttEndpoint("127.0.0.1", _port, "bridge", "bridge", "bridge-secret"), ["edgex/events/device/#"], (topic, _, _) =>
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

        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }
    }

    private Task<string> PublishAsync(string user, string password, string topic) =>
        ProcessRunner.RunAsync("mosquitto_pub", ["-h", "127.0.0.1", "-p", $"{_port}", "-V", "mqttv5", "-q", "1", "-i", $"{user}-{Guid.NewGuid():N}"[..23], "-u", user, "-P", password, "-t", topic, "-m", "{}"], TimeSpan.FromSeconds(30));

    [Fact]
    public async Task Device_PublishingItsOwnEdgeXTopics_ReachesTheBridge_AndAnotherDevicesTopicDoesNot()
    {
        try
        {
            await PublishAsync("thermo-1", "thermo-secret", "edgex/events/device/modbus/thermo/thermo-2/temperature");
        }
        catch (InvalidOperationException)
        {
            // mosquitto_pub may report the refusal (PUBACK "not authorised") as a failure; either way nothing is delivered.
        }

        await PublishAsync("thermo-1", "thermo-secret", "edgex/events/device/modbus/thermo/thermo-1/temperature");
        await PublishAsync("thermo-1", "thermo-secret", "edgex/events/device/thermo/thermo-1/humidity");

        await Eventually.MatchAsync(() => Task.FromResult(_topics.Count), n => n >= 2, TimeSpan.FromSeconds(10), "the device's own two events");
        Assert.Equal(["edgex/events/device/modbus/thermo/thermo-1/temperature", "edgex/events/device/thermo/thermo-1/humidity"], _topics);
    }

    [Fact]
    public async Task Client_WithAWrongPasswordOrUnknownUser_IsRefused()
    {
        var wrong = await Assert.ThrowsAsync<InvalidOperationException>(() => PublishAsync("thermo-1", "not-it", "edgex/events/device/thermo/thermo-1/temperature"));
        var unknown = await Assert.ThrowsAsync<InvalidOperationException>(() => PublishAsync("stranger", "x", "edgex/events/device/thermo/thermo-1/temperature"));

        Assert.Contains("bad user name or password", wrong.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("bad user name or password", unknown.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(_topics);
    }
}
