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
internal sealed partial class MqttBridgeService(MqttSettings settings, PulseRelay pulses, IEventStore store, IGrainFactory grains, ILogger<MqttBridgeService> logger) : IHostedService, IAsyncDisposable
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
            users.AddRange(settings.Agents.Select(a => BrokerUser.Agent(a.Key, a.Value)));
            _broker = await EmbeddedBroker.StartAsync(IPAddress.Loopback, settings.Port, users, logger);
        }

        _connection = new MqttConnection(endpoint, [Topics.EdgeXSubscription, Topics.HeartbeatSubscription], HandleAsync, logger);
        await _connection.StartAsync();
        var publisher = new NorthboundPublisher(_connection, store, grains, settings.StateFolder, logger);
        _northbound = Task.Run(() => publisher.RunAsync(_stop.Token), CancellationToken.None);
    }

    /// <summary>How many messages were dead-lettered, by reason, since the bridge started.</summary>
    public DeadLetterCounters DeadLetters { get; } = new();

    private async Task HandleAsync(string topic, byte[] payload, CancellationToken cancellationToken)
    {
        if (Topics.TryParseHeartbeat(topic, out var site, out var host))
        {
            pulses.Record(site, host);
            return;
        }

        // An oversize payload is quoted in its dead letter only as far as a dead letter quotes one.
        var bytes = payload.Length > settings.MaxPayloadBytes ? payload[..Math.Min(payload.Length, DeadLetterMessage.DefaultMaxPayloadBytes)] : payload;
        var parsed = payload.Length > settings.MaxPayloadBytes
            ? EdgeXParseResult.Refused(DeadLetterReason.Oversize, $"payload of {payload.Length} bytes is over the limit of {settings.MaxPayloadBytes}")
            : EdgeXPayload.Parse(topic, bytes, settings.MaxPayloadBytes);
        if (parsed.DeadLetter is { } refused)
        {
            await DeadLetterAsync(refused, topic, bytes, payload.Length, cancellationToken);
            return;
        }

        var deviceEvent = parsed.Event!;
        if (!ResourceNames.IsValidName(deviceEvent.Device))
        {
            await DeadLetterAsync(new DeadLetter(DeadLetterReason.BadValue, $"event.deviceName: '{deviceEvent.Device}' is not a valid device name here (lower-case letters, digits, inner dashes)"), topic, bytes, bytes.Length, cancellationToken);
            return;
        }

        var device = grains.GetGrain<IDeviceGrain>(ResourceNames.Key(settings.Site, deviceEvent.Device));
        var outcome = await device.IngestAsync(deviceEvent, cancellationToken);
        if (outcome == IngestOutcome.UnknownDevice && settings.AutoProvision)
        {
            await device.ProvisionAsync(new ProvisionDevice($"auto-provision-{deviceEvent.Device}", deviceEvent.Service ?? deviceEvent.Profile, deviceEvent.Profile, []), cancellationToken);
            outcome = await device.IngestAsync(deviceEvent, cancellationToken);
        }

        if (outcome == IngestOutcome.UnknownDevice)
        {
            await DeadLetterAsync(new DeadLetter(DeadLetterReason.UnknownDevice, $"device '{deviceEvent.Device}' is not provisioned in site {settings.Site}"), topic, bytes, bytes.Length, cancellationToken);
        }
    }

    /// <summary>Counts the message and publishes it, with the reason, on the site's dead-letter topic; the bridge goes on.</summary>
    private async Task DeadLetterAsync(DeadLetter deadLetter, string topic, byte[] payload, int payloadBytes, CancellationToken cancellationToken)
    {
        DeadLetters.Increment(deadLetter.Code);
        LogDeadLetter(logger, topic, deadLetter.Code, deadLetter.Reason, payloadBytes);
        var message = DeadLetterMessage.Create(deadLetter, topic, payload, DateTimeOffset.UtcNow);
        await _connection!.PublishAsync(Topics.DeadLetter(settings.Site), message.ToUtf8Json(), retain: false, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT message on {Topic} dead-lettered: {Code} {Reason} ({Bytes} bytes)")]
    private static partial void LogDeadLetter(ILogger logger, string topic, DeadLetterReason code, string reason, int bytes);

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
