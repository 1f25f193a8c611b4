using Edge.Actors.Abstractions;
using Edge.Actors.EventStore;
using Edge.Actors.EventStore.Serialization;
using Edge.Actors.Grains.Common;
using Edge.Actors.Grains.Monitoring;
using Microsoft.Extensions.Logging;

namespace Edge.Actors.Grains.Hosts;

public sealed class HostGrain(IEventStore store, EventTypeRegistry registry, ILogger<HostGrain> logger)
    : AggregateGrain<HostState>(store, registry, logger), IHostGrain
{
    private const int EvacuationsInParallel = 16;

    private ISiteGrain? _site;

    protected override string StreamKind => "host";

    // Resolved once per activation: a reference is immutable, and resolving it on every call costs a type lookup.
    private ISiteGrain Site => _site ??= GrainFactory.GetGrain<ISiteGrain>(Key.Site);

    private IAlarmGrain Alarms => GrainFactory.GetGrain<IAlarmGrain>(Key.Site);

    private string Entity => PlatformAlarms.HostEntity(Key.Site, Key.Name);

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

    public async Task DegradeAsync(string reason, CancellationToken cancellationToken = default)
    {
        if (await ExecuteAsync(HostDecisions.Degrade))
        {
            await Alarms.RaiseAsync(PlatformAlarms.PulsesMissed(Key.Site, Key.Name, reason), cancellationToken);
            await Site.UpdateHostAsync(Key.Name, State.Schedulable, State.Up, cancellationToken);
        }
    }

    public async Task FailAsync(string reason, CancellationToken cancellationToken = default)
    {
        if (!await ExecuteAsync(state => HostDecisions.Fail(state, reason)) && !State.EvacuationPending)
        {
            return;
        }

        // The alarm and the evacuation go together: a failed host's VMs are not kept waiting for its paperwork.
        var alarms = Task.WhenAll(
            Alarms.RaiseAsync(PlatformAlarms.HostFailure(Key.Site, Key.Name, reason), cancellationToken),
            Alarms.ClearAsync(PlatformAlarms.HostPulsesMissed, Entity, cancellationToken));
        await EvacuateAsync(reason, cancellationToken);
        await alarms;
    }

    public async Task RecoverAsync(CancellationToken cancellationToken = default)
    {
        if (State.EvacuationPending)
        {
            await EvacuateAsync("the host failed", cancellationToken);
        }

        if (await ExecuteAsync(HostDecisions.Recover))
        {
            await Task.WhenAll(
                Alarms.ClearAsync(PlatformAlarms.HostFailed, Entity, cancellationToken),
                Alarms.ClearAsync(PlatformAlarms.HostPulsesMissed, Entity, cancellationToken));
            await Site.UpdateHostAsync(Key.Name, State.Schedulable, State.Up, cancellationToken);
        }
    }

    public Task ResumeAsync(CancellationToken cancellationToken = default) =>
        State.EvacuationPending ? EvacuateAsync("the host failed", cancellationToken) : Task.CompletedTask;

    /// <summary>
    /// Empties a failed host; safe to run again after a crash. The site decides the whole plan once and records it
    /// (a repeated drain gets the same plan), so no VM is ever placed twice; each VM and pod follows idempotently.
    /// </summary>
    private async Task EvacuateAsync(string reason, CancellationToken cancellationToken)
    {
        var (site, name) = Key;
        // Down first: the scheduler stops placing here and the pools with OSDs here recompute their health.
        await Site.UpdateHostAsync(name, schedulable: false, up: false, cancellationToken);
        var plan = await Site.DrainHostAsync(name, force: true, cancellationToken);
        var why = $"host {name} failed ({reason}) and no other host has room";
        IEnumerable<Func<Task>> steps = plan.Moves.Select<WorkloadMove, Func<Task>>(move => move.Kind == WorkloadKind.Instance
                ? () => GrainFactory.GetGrain<IInstanceGrain>(ResourceNames.Key(site, Workloads.NameOf(move.Workload))).EvacuateAsync(name, move.ToHost, cancellationToken)
                : () => GrainFactory.GetGrain<IPodGrain>(ResourceNames.Key(site, Workloads.NameOf(move.Workload))).RescheduleAsync(move.ToHost, cancellationToken))
            .Concat(plan.Stopped.Select<string, Func<Task>>(vm => () => GrainFactory.GetGrain<IInstanceGrain>(ResourceNames.Key(site, Workloads.NameOf(vm))).FailForHostAsync(why, cancellationToken)))
            .Concat(plan.Evicted.Select<string, Func<Task>>(pod => () => GrainFactory.GetGrain<IPodGrain>(ResourceNames.Key(site, Workloads.NameOf(pod))).EvictAsync($"host {name} failed", cancellationToken)));
        // A bounded number at a time: a host of hundreds of workloads does not flood the store and the target hosts at
        // once, while a usual host's handful all go in the first wave.
        using var slots = new SemaphoreSlim(EvacuationsInParallel);
        await Task.WhenAll(steps.Select(async step =>
        {
            await slots.WaitAsync(cancellationToken);
            try
            {
                await step();
            }
            finally
            {
                slots.Release();
            }
        }));
        var rebuilt = plan.Moves.Count(m => m.Kind == WorkloadKind.Instance);
        await ExecuteAsync(state => HostDecisions.CompleteEvacuation(state, rebuilt, plan.Stopped.Count));
    }

    public Task<HostView> GetAsync(CancellationToken cancellationToken = default) =>
        State.IsLive ? Task.FromResult(View()) : throw new EdgeException(EdgeErrorCode.NotFound, $"host {this.GetPrimaryKeyString()} does not exist", "name");

    private HostView View() => new(
        State.Site, State.Name, State.Personality, State.Administrative, State.Operational, State.Availability, State.Capacity, State.Deleted, Version);
}
