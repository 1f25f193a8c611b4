using Edge.Actors.Abstractions;
using Edge.Actors.EventStore;
using Edge.Actors.EventStore.Serialization;
using Edge.Actors.Grains.Common;
using Microsoft.Extensions.Logging;

namespace Edge.Actors.Grains.Pods;

public sealed class PodGrain(IEventStore store, EventTypeRegistry registry, ILogger<PodGrain> logger)
    : AggregateGrain<PodState>(store, registry, logger), IPodGrain
{
    private ISiteGrain? _site;

    protected override string StreamKind => "pod";

    // Resolved once per activation: a reference is immutable, and resolving it on every call costs a type lookup.
    private ISiteGrain Site => _site ??= GrainFactory.GetGrain<ISiteGrain>(Key.Site);

    private (string Namespace, string Name) PodName => ResourceNames.Split(Key.Name);

    private string Workload => Workloads.Pod(Key.Name);

    public async Task<PodView> CreateAsync(CreatePod command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        var (ns, name) = PodName;
        if (PodDecisions.CheckCreate(State, ns, name, command) is { } refusal)
        {
            throw refusal.ToException();
        }

        if (!State.HasSeen(command.RequestId))
        {
            var node = await Site.PlaceAsync(new PlacementRequest(Workload, WorkloadKind.Pod, PodDecisions.Requests(command), Owned: command.Owner is not null), cancellationToken);
            await ExecuteAsync(state => PodDecisions.Create(state, Key.Site, ns, name, command, node));
        }

        return View();
    }

    public async Task<PodView> DeleteAsync(string requestId, CancellationToken cancellationToken = default)
    {
        await ExecuteAsync(state => PodDecisions.Delete(state, requestId));
        if (State.Deleted)
        {
            await Site.ReleaseAsync(Workload, cancellationToken);
        }

        return View();
    }

    public Task RescheduleAsync(string toNode, CancellationToken cancellationToken = default) =>
        ExecuteAsync(state => PodDecisions.Reschedule(state, toNode));

    public Task EvictAsync(string reason, CancellationToken cancellationToken = default) =>
        ExecuteAsync(state => PodDecisions.Evict(state, reason));

    public Task<PodView> GetAsync(CancellationToken cancellationToken = default) =>
        State.IsLive ? Task.FromResult(View()) : throw new EdgeException(EdgeErrorCode.NotFound, $"pod {this.GetPrimaryKeyString()} does not exist", "name");

    private PodView View() => new(State.Site, State.Namespace, State.Name, State.Requests, State.Owner, State.Node, State.Phase, State.Reason, State.Deleted, Version);
}
