using Edge.Actors.EventStore;
using Edge.Actors.Gateway.Errors;
using Edge.Actors.Gateway.Protos;
using Edge.Actors.Gateway.Security;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Edge.Actors.Gateway.Services;

/// <summary>
/// The event watch: reads the event store's global feed from the client's position and keeps reading as events
/// commit. The feed is gap-free and in commit order, so "catch-up" and "live" are one loop over positions: there is
/// no seam at which an event could be missed or sent twice. Each watcher holds one page at a time and writes with the
/// client's flow control, so a slow client slows only its own reading.
/// </summary>
internal sealed class EventApi(IEventStore store) : EventService.EventServiceBase
{
    public const int PageSize = 500;
    public static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(25);
    /// <summary>Bookkeeping of idempotent commands, not a change a watcher acts on.</summary>
    public const string RequestAccepted = "edge.request-accepted";

    public static readonly IReadOnlySet<string> Kinds = new HashSet<string>(["site", "host", "instance", "pod", "pool", "alarm", "monitor", "device"], StringComparer.Ordinal);

    public override async Task Watch(WatchRequest request, IServerStreamWriter<DomainEvent> responseStream, ServerCallContext context)
    {
        var caller = Caller.From(context).Require(EdgeRole.Reader);
        if (request.FromPosition < 0)
        {
            throw GrpcErrors.InvalidArgument("from_position", "from_position must be 0 or more");
        }

        var sites = request.Sites.Select((s, i) => Require.Name(s, $"sites[{i}]")).ToHashSet(StringComparer.Ordinal);
        foreach (var site in sites)
        {
            caller.Require(EdgeRole.Reader, site);
        }

        var kinds = request.Kinds.Select((k, i) => Kinds.Contains(k) ? k : throw GrpcErrors.InvalidArgument($"kinds[{i}]", $"kind must be one of {string.Join(", ", Kinds)}")).ToHashSet(StringComparer.Ordinal);
        var visible = sites.Count > 0 ? sites : caller.Sites;
        var position = request.FromPosition;
        var cancellationToken = context.CancellationToken;
        using var idle = new PeriodicTimer(IdlePoll);
        while (!cancellationToken.IsCancellationRequested)
        {
            var page = await store.ReadAllAsync(position, PageSize, cancellationToken);
            foreach (var recorded in page)
            {
                position = recorded.Position;
                var (kind, site) = Describe(recorded.StreamId);
                if (recorded.EventType != RequestAccepted && Kinds.Contains(kind) && (kinds.Count == 0 || kinds.Contains(kind)) && (visible is null || visible.Contains(site)))
                {
                    await responseStream.WriteAsync(ToProto(recorded, kind, site), cancellationToken);
                }
            }

            if (page.Count < PageSize)
            {
                await idle.WaitForNextTickAsync(cancellationToken);
            }
        }
    }

    /// <summary>Streams are named <c>kind/site/…</c>, and a site's own stream <c>site/id</c>.</summary>
    public static (string Kind, string Site) Describe(string stream)
    {
        var parts = stream.Split('/', 3);
        return parts.Length >= 2 ? (parts[0], parts[1]) : (parts[0], string.Empty);
    }

    private static DomainEvent ToProto(RecordedEvent e, string kind, string site) => new()
    {
        Position = e.Position,
        Stream = e.StreamId,
        Kind = kind,
        SiteId = site,
        Version = e.Version,
        Type = e.EventType,
        Json = e.Payload,
        RecordedAt = Timestamp.FromDateTimeOffset(e.RecordedAt),
    };
}
