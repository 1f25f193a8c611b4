using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Edge.Actors.Abstractions;
using Edge.Actors.EventStore;
using Microsoft.Extensions.Logging;

namespace Edge.Actors.Mqtt.Bridge;

/// <summary>
/// Publishes the platform's events northbound, in commit order, QoS 1: every event on <c>edge/&lt;site&gt;/events</c>,
/// and the current state of each alarm, host and site retained, so a late subscriber sees it (a cleared alarm's
/// retained message is removed). It follows the store's global feed and remembers the last position it published,
/// so events committed while the bridge was down are published when it is back (at least once).
/// </summary>
internal sealed partial class NorthboundPublisher(MqttConnection connection, IEventStore store, IGrainFactory grains, string? stateFolder, ILogger logger)
{
    private static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(50);
    private const int Batch = 500;

    private string? PositionFile => stateFolder is null ? null : Path.Combine(stateFolder, "mqtt-northbound.position");

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var position = await StartPositionAsync(cancellationToken);
        using var idle = new PeriodicTimer(IdlePoll);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (!connection.IsConnected)
                {
                    await idle.WaitForNextTickAsync(cancellationToken);
                    continue;
                }

                var events = await store.ReadAllAsync(position, Batch, cancellationToken);
                foreach (var recorded in events)
                {
                    await PublishAsync(recorded, cancellationToken);
                    position = recorded.Position;
                }

                if (events.Count > 0)
                {
                    await SavePositionAsync(position, cancellationToken);
                }
                else
                {
                    await idle.WaitForNextTickAsync(cancellationToken);
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // Retried from the last published position: at least once, in order.
                LogPublishFailed(logger, ex, position);
                await idle.WaitForNextTickAsync(cancellationToken);
            }
        }
    }

    private async Task PublishAsync(RecordedEvent recorded, CancellationToken cancellationToken)
    {
        var parts = recorded.StreamId.Split('/');
        if (parts.Length < 2 || !ResourceNames.IsValidName(parts[1]) || recorded.EventType == "edge.request-accepted")
        {
            return;
        }

        var (kind, site) = (parts[0], parts[1]);
        var envelope = new JsonObject
        {
            ["position"] = recorded.Position,
            ["stream"] = recorded.StreamId,
            ["kind"] = kind,
            ["type"] = recorded.EventType,
            ["recordedAt"] = recorded.RecordedAt.ToString("O", CultureInfo.InvariantCulture),
            ["data"] = JsonNode.Parse(recorded.Payload),
        };
        await connection.PublishAsync(Topics.Events(site), Encoding.UTF8.GetBytes(envelope.ToJsonString()), retain: false, cancellationToken);
        switch (kind)
        {
            case "alarm" when recorded.EventType is "edge.alarm-raised" or "edge.alarm-cleared":
                var alarm = JsonNode.Parse(recorded.Payload)!;
                var topic = Topics.Alarm(site, (string)alarm["alarmId"]!, (string)alarm["entityInstanceId"]!);
                // An empty retained message removes the retained alarm: a late subscriber sees only what is active.
                await connection.PublishAsync(topic, recorded.EventType == "edge.alarm-raised" ? Encoding.UTF8.GetBytes(recorded.Payload) : ReadOnlyMemory<byte>.Empty, retain: true, cancellationToken);
                break;
            case "host" when parts.Length == 3:
                var host = await grains.GetGrain<IHostGrain>(ResourceNames.Key(site, parts[2])).GetAsync(cancellationToken);
                await connection.PublishAsync(Topics.HostState(site, parts[2]), JsonSerializer.SerializeToUtf8Bytes(host), retain: true, cancellationToken);
                break;
            case "site" when parts.Length == 2:
                var view = await grains.GetGrain<ISiteGrain>(site).GetAsync(cancellationToken);
                await connection.PublishAsync(Topics.SiteState(site), JsonSerializer.SerializeToUtf8Bytes(view), retain: true, cancellationToken);
                break;
        }
    }

    private async Task<long> StartPositionAsync(CancellationToken cancellationToken)
    {
        if (PositionFile is { } file && File.Exists(file) && long.TryParse(await File.ReadAllTextAsync(file, cancellationToken), NumberStyles.None, CultureInfo.InvariantCulture, out var saved))
        {
            return saved;
        }

        // First start: from now on (the retained state of what exists is published as it next changes).
        return await store.ReadHeadPositionAsync(cancellationToken);
    }

    private async Task SavePositionAsync(long position, CancellationToken cancellationToken)
    {
        if (PositionFile is { } file)
        {
            var temporary = file + ".tmp";
            await File.WriteAllTextAsync(temporary, position.ToString(CultureInfo.InvariantCulture), cancellationToken);
            File.Move(temporary, file, overwrite: true);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "publishing platform events after position {Position} failed; retrying")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, long position);
}
