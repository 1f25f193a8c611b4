using Edge.Actors.Abstractions;
using Edge.Actors.EventStore;
using Edge.Actors.EventStore.Serialization;
using Edge.Actors.Grains.Common;
using Edge.Actors.Grains.Instances;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace Edge.Actors.Grains.Sites;

/// <summary>
/// The site aggregate, and with it the site's scheduler: every placement in a site is decided here, one turn at a
/// time, against the ledger of what each host holds, so that however many creates race no host is allocated beyond
/// its capacity.
/// </summary>
// Reentrant so that placements racing in do not wait one durable write each: every decision is made synchronously
// on the state (which already counts the reservations still being written) and joins the next append at the version
// it was decided on, so concurrent reservations share one append and none is decided on a stale ledger.
[Reentrant]
public sealed class SiteGrain(IEventStore store, EventTypeRegistry registry, ILogger<SiteGrain> logger)
    : AggregateGrain<SiteState>(store, registry, logger), ISiteGrain
{
    protected override bool KeepsSnapshots => true;

    protected override string StreamKind => "site";

    private string SiteId => this.GetPrimaryKeyString();

    public async Task<SiteView> CreateAsync(CreateSite command, CancellationToken cancellationToken = default)
    {
        await ExecuteAsync(state => SiteDecisions.Create(state, SiteId, command));
        // After the record, and on a repeat too: listing is idempotent, so a crash in between heals on retry.
        await GrainFactory.GetGrain<ISiteDirectoryGrain>(ISiteDirectoryGrain.Key).AddAsync(SiteId, cancellationToken);
        return View();
    }

    public async Task<SiteView> ManageAsync(string requestId, CancellationToken cancellationToken = default)
    {
        await ExecuteAsync(state => SiteDecisions.SetManagement(state, requestId, SiteManagement.Managed));
        return View();
    }

    public async Task<SiteView> UnmanageAsync(string requestId, CancellationToken cancellationToken = default)
    {
        await ExecuteAsync(state => SiteDecisions.SetManagement(state, requestId, SiteManagement.Unmanaged));
        return View();
    }

    public Task<SiteView> GetAsync(CancellationToken cancellationToken = default) =>
        State.Exists ? Task.FromResult(View()) : throw new EdgeException(EdgeErrorCode.NotFound, $"site {SiteId} does not exist", "site_id");

    public Task<SiteInventory> GetInventoryAsync(CancellationToken cancellationToken = default)
    {
        if (!State.Exists)
        {
            throw new EdgeException(EdgeErrorCode.NotFound, $"site {SiteId} does not exist", "site_id");
        }

        var hosts = State.Hosts.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => Describe(h.Key, h.Value)).ToList();
        return Task.FromResult(new SiteInventory(hosts, WorkloadNames(WorkloadKind.Instance), WorkloadNames(WorkloadKind.Pod), [.. State.Pools.Order(StringComparer.Ordinal)]));
    }

    public Task<SiteHostView?> DescribeHostAsync(string host, CancellationToken cancellationToken = default) =>
        Task.FromResult(State.Hosts.TryGetValue(host, out var known) ? Describe(host, known) : null);

    public Task EnrollHostAsync(string host, HostPersonality personality, Resources capacity, CancellationToken cancellationToken = default) =>
        ExecuteAsync(state => SiteDecisions.EnrollHost(state, host, personality, capacity));

    public async Task UpdateHostAsync(string host, bool schedulable, bool up, CancellationToken cancellationToken = default)
    {
        await ExecuteAsync(state => SiteDecisions.UpdateHost(state, host, schedulable, up));
        // Told every time, not only on a change: a pool that missed the news before a crash hears it on the retry.
        await Task.WhenAll(State.Pools.Select(pool => GrainFactory.GetGrain<IStoragePoolGrain>(ResourceNames.Key(SiteId, pool)).HostStateChangedAsync(host, up, cancellationToken)));
    }

    public Task RemoveHostAsync(string host, CancellationToken cancellationToken = default) =>
        ExecuteAsync(state => SiteDecisions.RemoveHost(state, host));

    public async Task<string> PlaceAsync(PlacementRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await ExecuteAsync(state => SiteDecisions.Place(state, request));
        return State.Allocations[request.Workload].Host;
    }

    public async Task<InstanceView> CreateInstanceAsync(string name, CreateInstance command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        var key = ResourceNames.Key(SiteId, name);
        var placement = InstanceDecisions.Placement(name, command);
        var workload = placement.Workload;
        // Resolved only when the VM's grain must answer: a reference costs a type lookup, and most creates need none.
        IInstanceGrain Vm() => GrainFactory.GetGrain<IInstanceGrain>(key);
        if (State.Allocations.ContainsKey(workload))
        {
            return await Vm().CreateAsync(command, cancellationToken);
        }

        // As the VM's grain would decide it on a VM that never existed: the same checks and the same event.
        var vm = new InstanceState();
        if (InstanceDecisions.CheckCreate(vm, name, command) is { } refusal)
        {
            throw refusal.ToException();
        }

        if (!await ExecuteAsync(state => SiteDecisions.Place(state, placement)))
        {
            // Placed meanwhile by another create of the same name: the VM's grain settles which one stands.
            return await Vm().CreateAsync(command, cancellationToken);
        }

        var created = InstanceDecisions.Created(SiteId, name, command, State.Allocations[workload].Host);
        if (await AppendToStreamAsync(InstanceGrain.StreamOf(key), [created], expectedVersion: 0))
        {
            vm.Apply(created);
            return vm.ToView(version: 1);
        }

        // The name has a history (a deleted VM, or a create through the VM's grain that won the race): its grain
        // decides, finding this reservation as the VM's. If that leaves no VM here, the reservation is nobody's.
        var answer = await Vm().CreateAsync(command, cancellationToken);
        if (answer.State == InstanceStatus.Deleted)
        {
            await ReleaseAsync(workload, cancellationToken);
        }

        return answer;
    }

    public async Task<string> MoveAsync(string workload, string? toHost, CancellationToken cancellationToken = default)
    {
        await ExecuteAsync(state => SiteDecisions.Move(state, workload, toHost));
        return State.Allocations[workload].Host;
    }

    public Task ReleaseAsync(string workload, CancellationToken cancellationToken = default) =>
        ExecuteAsync(state => SiteDecisions.Release(state, workload));

    public async Task<DrainPlan> DrainHostAsync(string host, bool force, CancellationToken cancellationToken = default)
    {
        await ExecuteAsync(state => SiteDecisions.Drain(state, host, force));
        return State.Drains[host];
    }

    public Task RegisterPoolAsync(string pool, CancellationToken cancellationToken = default) =>
        ExecuteAsync(state => SiteDecisions.RegisterPool(state, pool));

    private List<string> WorkloadNames(WorkloadKind kind) =>
        [.. State.Allocations.Where(a => a.Value.Kind == kind).Select(a => Workloads.NameOf(a.Key)).Order(StringComparer.Ordinal)];

    private SiteHostView Describe(string name, SiteHost host) =>
        new(name, host.Personality, host.Capacity, host.Allocated, host.Schedulable, host.Up, [.. SiteDecisions.WorkloadsOn(State, name)]);

    private SiteView View() => new(
        State.SiteId,
        State.Description,
        State.Location,
        State.Management,
        State.Availability,
        State.Hosts.Count,
        State.Allocations.Values.Count(a => a.Kind == WorkloadKind.Instance),
        State.Allocations.Values.Count(a => a.Kind == WorkloadKind.Pod),
        State.Pools.Count,
        Version);
}
