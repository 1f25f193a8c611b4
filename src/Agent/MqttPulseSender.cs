using System.Globalization;
using System.Text.Json;
using Edge.Actors.Gateway.Protos;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;

namespace Edge.Actors.Agent;

/// <summary>
/// The second pulse transport: a QoS 0 message every period on <c>edge/&lt;site&gt;/hosts/&lt;host&gt;/heartbeat</c>
/// (the topic the bridge's <c>Topics.Heartbeat</c> names), feeding the same failure detection as the gRPC stream.
/// A lost pulse is simply a missed one, so nothing is retried or queued; the connection is re-made with backoff.
/// </summary>
internal sealed class MqttPulseSender(MqttPulseSender.Broker broker, string site, string host, TimeSpan period, Func<HostFigures> figures, ILogger logger)
{
    internal sealed record Broker(string Host, int Port, string User, string? Password);

    public static Broker Endpoint(string hostAndPort, string user, string? password)
    {
        var colon = hostAndPort.LastIndexOf(':');
        return colon > 0 && int.TryParse(hostAndPort[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            ? new Broker(hostAndPort[..colon], port, user, password)
            : new Broker(hostAndPort, 1883, user, password);
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var topic = $"edge/{site}/hosts/{host}/heartbeat";
        using var client = new MqttClientFactory().CreateMqttClient();
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer(broker.Host, broker.Port)
            .WithClientId($"edge-agent-{site}-{host}")
            .WithCredentials(broker.User, broker.Password)
            .WithCleanStart(true)
            .Build();
        using var timer = new PeriodicTimer(period);
        var backoff = new Backoff();
        ulong sequence = 0;
        bool? up = null;
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            try
            {
                if (!client.IsConnected)
                {
                    var connected = await client.ConnectAsync(options, cancellationToken);
                    if (connected.ResultCode != MqttClientConnectResultCode.Success)
                    {
                        throw new InvalidOperationException($"the broker refused the connection: {connected.ResultCode}");
                    }
                }

                sequence++;
                var payload = JsonSerializer.SerializeToUtf8Bytes(new { sequence, figures = sequence % PulseStreamer.FiguresEvery == 1 ? figures() : null });
                await client.PublishAsync(
                    new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtMostOnce).Build(),
                    cancellationToken);
                if (up != true)
                {
                    logger.StreamUp(host);
                    up = true;
                }

                backoff.Reset();
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                if (up != false)
                {
                    logger.StreamDown(host, ex.Message);
                    up = false;
                }

                await Task.Delay(backoff.Next(), cancellationToken);
            }
        }
    }
}
