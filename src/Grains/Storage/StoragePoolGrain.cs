using Edge.Actors.Abstractions;
using Edge.Actors.EventStore;
using Edge.Actors.EventStore.Serialization;
using Edge.Actors.Grains.Common;
using Edge.Actors.Grains.Monitoring;
using Microsoft.Extensions.Logging;

namespace Edge.Actors.Grains.Storage;

public sealed class StoragePoolGrain(IEventStore store, EventTypeRegistry registry, ILogger<StoragePoolGrain> logger)
    : AggregateGrain<PoolState>(store, registry, logger), IStoragePoolGrain
{
    protected override bool KeepsSnapshots => true;

    protected override string StreamKind => "pool";

    private ISiteGrain Site => GrainFactory.GetGrain<ISiteGrain>(Key.Site);

    public async Task<PoolView> CreateAsync(CreatePool command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        // The site must exist; asking it first also refuses a pool in a site that does not.
        await Site.GetAsync(cancellationToken);
        await ExecuteAsync(state => PoolDecisions.Create(state, Key.Site, Key.Name, command));
        await Site.RegisterPoolAsync(Key.Name, cancellationToken);
        return View();
    }

    public async Task<PoolView> AddOsdAsync(AddOsd command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        var inventory = State.Exists ? await Site.GetInventoryAsync(cancellationToken) : null;
        var host = inventory?.Hosts.FirstOrDefault(h => h.Host == command.Host);
        var siteHasStorageHosts = inventory?.Hosts.Any(h => h.Personality == HostPersonality.Storage) ?? false;
        await ExecuteAsync(state => PoolDecisions.AddOsd(state, command, host, siteHasStorageHosts));
        return View();
    }

    public async Task<PoolView> CreateVolumeAsync(CreateVolume command, CancellationToken cancellationToken = default)
    {
        await ExecuteAsync(state => PoolDecisions.CreateVolume(state, command));
        return View();
    }

    public async Task<PoolView> DeleteVolumeAsync(string requestId, string volume, CancellationToken cancellationToken = default)
    {
        await ExecuteAsync(state => PoolDecisions.DeleteVolume(state, requestId, volume));
        return View();
    }

    public async Task<PoolView> AttachVolumeAsync(string requestId, string volume, string instance, CancellationToken cancellationToken = default)
    {
        var live = false;
        if (ResourceNames.IsValidName(instance))
        {
            try
            {
                await GrainFactory.GetGrain<IInstanceGrain>(ResourceNames.Key(Key.Site, instance)).GetAsync(cancellationToken);
                live = true;
            }
            catch (EdgeException missing) when (missing.Code == EdgeErrorCode.NotFound)
            {
                live = false;
            }
        }

        await ExecuteAsync(state => PoolDecisions.Attach(state, requestId, volume, instance, live));
        return View();
    }

    public async Task<PoolView> DetachVolumeAsync(string requestId, string volume, CancellationToken cancellationToken = default)
    {
        await ExecuteAsync(state => PoolDecisions.Detach(state, requestId, volume));
        return View();
    }

    public async Task HostStateChangedAsync(string host, bool up, CancellationToken cancellationToken = default)
    {
        var healthBefore = State.Health;
        if (!await ExecuteAsync(state => PoolDecisions.HostStateChanged(state, host, up)) && State.Health == healthBefore)
        {
            return;
        }

        // Raised or cleared on every recorded change (both are idempotent), so a crash in between heals on the next.
        var alarms = GrainFactory.GetGrain<IAlarmGrain>(Key.Site);
        if (State.Health == PoolHealth.Ok)
        {
            await alarms.ClearAsync(PlatformAlarms.StorageReplicasLost, PlatformAlarms.PoolEntity(Key.Site, Key.Name), cancellationToken);
        }
        else
        {
            await alarms.RaiseAsync(PlatformAlarms.ReplicasLost(Key.Site, Key.Name, State.Health), cancellationToken);
        }
    }

    public Task<PoolView> GetAsync(CancellationToken cancellationToken = default) =>
        State.Exists ? Task.FromResult(View()) : throw new EdgeException(EdgeErrorCode.NotFound, $"pool {this.GetPrimaryKeyString()} does not exist", "name");

    private PoolView View() => new(
        State.Site,
        State.Name,
        State.Size,
        State.MinSize,
        [.. State.Osds.Select(o => new OsdView(o.Key, o.Value.CapacityGiB, o.Value.Up))],
        [.. State.Volumes.Select(v => new VolumeView(v.Key, v.Value.SizeGiB, v.Value.AttachedTo))],
        State.CapacityGiB,
        State.UsedGiB,
        State.Health,
        Version);
}
