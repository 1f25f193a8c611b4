using System.Buffers;
using System.Net;
using System.Security.Cryptography;
using Edge.Actors.Abstractions;
using Edge.Actors.EventStore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Edge.Actors.Mqtt.Bridge;

/// <summary>
/// The bridge co-hosted in the silo: starts the embedded broker unless an external one is configured, keeps one
/// persistent QoS 1 session subscribed to the device and heartbeat topics, and hands each message on.
/// </summary>
internal sealed class MqttBridgeService(MqttSettings settings, PulseRelay pulses, IEventStore store, IGrainFactory grains, ILogger<MqttBridgeService> logger) : IHostedService, IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private EmbeddedBroker? _broker;
    private MqttConnection? _connection;
    private Task? _northbound;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var endpoint = settings.Embedded
            ? new MqttEndpoint("127.0.0.1", settings.Port, $"{MqttSettings.BridgeUser}-{settings.Site}", MqttSettings.BridgeUser, Convert.ToHexString(RandomNumberGenerator.GetBytes(16)))
            : new MqttEndpoint(settings.BrokerHost!, settings.Port, $"{MqttSettings.BridgeUser}-{settings.Site}", settings.Username, settings.Password, settings.UseTls);
        if (settings.Embedded)
        {
            // Only the bridge may subscribe; devices and agents may publish only their own topics.
            var users = new List<BrokerUser> { new(MqttSettings.BridgeUser, endpoint.Password!, ["#"], ["#"]) };
            users.AddRange(settings.Devices.Select(d => BrokerUser.Device(d.Key, d.Value)));
            users.AddRange(settings.Monitors.Select(m => new BrokerUser(m.Key, m.Value, [], ["edge/#"])));
            users.AddRange(settings.Agents.Select(a => new BrokerUser(a.Key, a.Value, [$"edge/+/hosts/{a.Key}/heartbeat"], [])));
            _broker = await EmbeddedBroker.StartAsync(IPAddress.Loopback, settings.Port, users, logger);
        }

        _connection = new MqttConnection(endpoint, [Topics.EdgeXSubscription, Topics.HeartbeatSubscription], HandleAsync, logger);
        await _connection.StartAsync();
        var publisher = new NorthboundPublisher(_connection, store, grains, settings.StateFolder, logger);
        _northbound = Task.Run(() => publisher.RunAsync(_stop.Token), CancellationToken.None);
    }

    private Task HandleAsync(string topic, ReadOnlySequence<byte> payload, CancellationToken cancellationToken)
    {
        if (Topics.TryParseHeartbeat(topic, out var site, out var host))
        {
            pulses.Record(site, host);
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_northbound is not null)
        {
            try
            {
                await _northbound;
            }
            catch (OperationCanceledException)
            {
                // Stopping.
            }

            _northbound = null;
        }

        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            _connection = null;
        }

        if (_broker is not null)
        {
            await _broker.DisposeAsync();
            _broker = null;
        }
    }
}
