using System.Buffers;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;

namespace Edge.Actors.Mqtt.Bridge;

/// <summary>Where the bridge connects and as whom.</summary>
public sealed record MqttEndpoint(string Host, int Port, string ClientId, string? Username, string? Password, bool UseTls = false);

/// <summary>
/// The bridge's one connection to a broker: a persistent session (clean start off, a long session expiry) with QoS 1
/// subscriptions, so messages published while it is away are kept by the broker and delivered when it is back; every
/// message is acknowledged only after <c>handle</c> has finished with it, so nothing acknowledged is lost when the
/// process dies half-way (a redelivered duplicate is the handler's to ignore). Messages of different topics are
/// handled concurrently, those of one topic in order (<see cref="TopicPipeline"/>). It reconnects with backoff and
/// subscribes again after every connect.
/// </summary>
public sealed partial class MqttConnection : IAsyncDisposable
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    /// <summary>How many messages may be in hand at once: enough to keep every device of a busy site moving.</summary>
    private const int MessagesInHand = 256;

    /// <summary>
    /// The socket buffers the client asks for. Its own default (8 KiB) fixes the TCP receive window below one segment
    /// of the loopback interface (64 KiB), and a backlog then trickles in on the sender's persist timer (about 30 KB/s,
    /// seen as a bridge that falls minutes behind); the kernel caps this at its rmem_max.
    /// </summary>
    private const int SocketBufferBytes = 1 << 20;
    private const uint SessionExpirySeconds = 7 * 24 * 3600;

    private readonly MqttEndpoint _endpoint;
    private readonly IReadOnlyList<string> _filters;
    private readonly Func<string, byte[], CancellationToken, Task> _handle;
    private readonly ILogger _logger;
    private readonly IMqttClient _client;
    private readonly CancellationTokenSource _stop = new();
    private readonly TopicPipeline _pipeline;
    private Task? _loop;

    public MqttConnection(MqttEndpoint endpoint, IReadOnlyList<string> filters, Func<string, byte[], CancellationToken, Task> handle, ILogger logger)
    {
        _endpoint = endpoint;
        _filters = filters;
        _handle = handle;
        _logger = logger;
        _pipeline = new TopicPipeline(MessagesInHand, logger);
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
    }

    public bool IsConnected => _client.IsConnected;

    /// <summary>Connects (retrying until it can) and keeps the connection up until disposed.</summary>
    public Task StartAsync()
    {
        _loop = Task.Run(() => KeepConnectedAsync(_stop.Token));
        return Task.CompletedTask;
    }

    /// <summary>Publishes one message at QoS 1, waiting for the broker's acknowledgement.</summary>
    public async Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, bool retain, CancellationToken cancellationToken)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload.ToArray())
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(retain)
            .Build();
        var result = await _client.PublishAsync(message, cancellationToken);
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"the broker refused a publish to {topic}: {result.ReasonCode} {result.ReasonString}");
        }
    }

    private async Task KeepConnectedAsync(CancellationToken stop)
    {
        var backoff = TimeSpan.FromMilliseconds(100);
        using var check = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        while (!stop.IsCancellationRequested)
        {
            if (!_client.IsConnected)
            {
                try
                {
                    await ConnectAsync(stop);
                    backoff = TimeSpan.FromMilliseconds(100);
                    LogConnected(_logger, _endpoint.Host, _endpoint.Port);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stop.IsCancellationRequested)
                {
                    LogConnectFailed(_logger, _endpoint.Host, _endpoint.Port, ex.Message, backoff);
                    await Task.Delay(backoff + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 100)), stop);
                    backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
                    continue;
                }
            }

            await check.WaitForNextTickAsync(stop);
        }
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer(_endpoint.Host, _endpoint.Port)
            .WithClientId(_endpoint.ClientId)
            .WithCleanStart(false)
            .WithSessionExpiryInterval(SessionExpirySeconds)
            .WithTimeout(TimeSpan.FromSeconds(10));
        if (_endpoint.Username is not null)
        {
            options = options.WithCredentials(_endpoint.Username, _endpoint.Password);
        }

        if (_endpoint.UseTls)
        {
            options = options.WithTlsOptions(tls => tls.UseTls());
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        var built = options.Build();
        if (built.ChannelOptions is MqttClientTcpOptions tcp)
        {
            tcp.BufferSize = SocketBufferBytes;
        }

        var connected = await _client.ConnectAsync(built, timeout.Token);
        if (connected.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new InvalidOperationException($"the broker refused the connection: {connected.ResultCode} {connected.ReasonString}");
        }

        // Subscribed again on every connect: a broker that lost the session (or never kept it) gets it back.
        var subscribe = new MqttClientSubscribeOptionsBuilder();
        foreach (var filter in _filters)
        {
            subscribe = subscribe.WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce);
        }

        await _client.SubscribeAsync(subscribe.Build(), timeout.Token);
    }

    private Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        e.AutoAcknowledge = false;
        var topic = e.ApplicationMessage.Topic;
        // Copied once, and the copy is the handler's: it runs after this event returns, and the client owns the buffer it read into.
        var payload = e.ApplicationMessage.Payload.ToArray();
        return _pipeline.EnqueueAsync(topic, () => _handle(topic, payload, _stop.Token), () => e.AcknowledgeAsync(_stop.Token), _stop.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            try
            {
                await _loop;
            }
            catch (OperationCanceledException)
            {
                // Stopping.
            }
        }

        await _pipeline.DisposeAsync();
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build());
        }

        _client.Dispose();
        _stop.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT bridge connected to {Host}:{Port}")]
    private static partial void LogConnected(ILogger logger, string host, int port);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT broker {Host}:{Port} not reachable ({Reason}); retrying in {Backoff}")]
    private static partial void LogConnectFailed(ILogger logger, string host, int port, string reason, TimeSpan backoff);
}
