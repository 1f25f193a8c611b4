using Edge.Actors.Abstractions;
using Edge.Actors.EventStore;
using Edge.Actors.EventStore.Serialization;
using Edge.Actors.Grains.Common;
using Edge.Actors.Grains.EventSourcing;
using Microsoft.Extensions.Logging;
using Orleans.Providers;

namespace Edge.Actors.Grains.Hosts;

[LogConsistencyProvider(ProviderName = EventSourcingExtensions.ProviderName)]
public sealed class HostGrain(IEventStore store, EventTypeRegistry registry, ILogger<HostGrain> logger)
    : AggregateGrain<HostState>(store, registry, logger), IHostGrain
{
    protected override string StreamKind => "host";

    private ISiteGrain Site => GrainFactory.GetGrain<ISiteGrain>(Key.Site);

    public async Task<HostView> AddAsync(AddHost command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        var (site, name) = Key;
        // Validate before touching the site, then enroll (idempotent) before recording: a host the ledger does not
        // know must never be recorded as added.
        if (HostDecisions.Add(State, site, name, command) is { Refusal: { } refusal })
        {
            throw refusal.ToException();
        }

        if (!State.HasSeen(command.RequestId))
        {
            await Site.EnrollHostAsync(name, command.Personality, Resources.FromVCpus(command.VCpus, command.MemoryMiB, command.DiskGiB), cancellationToken);
        }

        await ExecuteAsync(state => HostDecisions.Add(state, site, name, command));
        return View();
    }

    public async Task<HostView> LockAsync(LockHost command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (HostDecisions.CheckLock(State, command) is { } refusal)
        {
            throw refusal.ToException();
        }

        if (!State.HasSeen(command.RequestId))
        {
            await FinishLockAsync(command, cancellationToken);
        }

        return View();
    }

    /// <summary>
    /// Drains, moves, then locks; safe to run again after a crash: the site answers a repeated drain with its first
    /// plan (refused drains record nothing), and every VM and pod follows a move idempotently.
    /// </summary>
    private async Task FinishLockAsync(LockHost command, CancellationToken cancellationToken)
    {
        var plan = await Site.DrainHostAsync(Key.Name, command.Force, cancellationToken);
        await Task.WhenAll(plan.Moves.Select(move => move.Kind == WorkloadKind.Instance
            ? GrainFactory.GetGrain<IInstanceGrain>(ResourceNames.Key(Key.Site, Workloads.NameOf(move.Workload))).RelocateAsync(move.ToHost, cancellationToken)
            : GrainFactory.GetGrain<IPodGrain>(ResourceNames.Key(Key.Site, Workloads.NameOf(move.Workload))).RescheduleAsync(move.ToHost, cancellationToken)));
        var reason = $"host {Key.Name} was force-locked";
        await Task.WhenAll(plan.Stopped.Select(vm => GrainFactory.GetGrain<IInstanceGrain>(ResourceNames.Key(Key.Site, Workloads.NameOf(vm))).StopForHostAsync(reason, cancellationToken)));
        await Task.WhenAll(plan.Evicted.Select(pod => GrainFactory.GetGrain<IPodGrain>(ResourceNames.Key(Key.Site, Workloads.NameOf(pod))).EvictAsync(reason, cancellationToken)));
        await ExecuteAsync(state => HostDecisions.CompleteLock(state, command.RequestId, command.Force));
        await Site.UpdateHostAsync(Key.Name, State.Schedulable, State.Up, cancellationToken);
    }

    public async Task<HostView> UnlockAsync(string requestId, CancellationToken cancellationToken = default)
    {
        await ExecuteAsync(state => HostDecisions.Unlock(state, requestId));
        await Site.UpdateHostAsync(Key.Name, State.Schedulable, State.Up, cancellationToken);
        return View();
    }

    public async Task<HostView> DeleteAsync(string requestId, CancellationToken cancellationToken = default)
    {
        if (HostDecisions.CheckDelete(State, requestId) is { Refusal: { } refusal })
        {
            throw refusal.ToException();
        }

        // The ledger refuses while the host still holds workloads (say, VMs a force-lock stopped there).
        await Site.RemoveHostAsync(Key.Name, cancellationToken);
        await ExecuteAsync(state => HostDecisions.CheckDelete(state, requestId));
        return View();
    }

    public Task<HostView> GetAsync(CancellationToken cancellationToken = default) =>
        State.IsLive ? Task.FromResult(View()) : throw new EdgeException(EdgeErrorCode.NotFound, $"host {this.GetPrimaryKeyString()} does not exist", "name");

    private HostView View() => new(
        State.Site, State.Name, State.Personality, State.Administrative, State.Operational, State.Availability, State.Capacity, State.Deleted, Version);
}
