using Edge.Actors.Abstractions;
using Edge.Actors.EventStore;
using Edge.Actors.EventStore.Serialization;
using Edge.Actors.Grains.Common;
using Microsoft.Extensions.Logging;

namespace Edge.Actors.Grains.Devices;

[GenerateSerializer]
public sealed class SiteDevicesState : AggregateState
{
    [Id(0)]
    public SortedSet<string> Devices { get; set; } = new(StringComparer.Ordinal);

    public override void Apply(IDomainEvent domainEvent)
    {
        switch (domainEvent)
        {
            case DeviceListed e: Devices.Add(e.Device); break;
            case DeviceUnlisted e: Devices.Remove(e.Device); break;
        }
    }
}

/// <summary>A site's list of devices: an index beside the device grains, so listing them reads one grain, not the event store.</summary>
public sealed class SiteDevicesGrain(IEventStore store, EventTypeRegistry registry, ILogger<SiteDevicesGrain> logger)
    : AggregateGrain<SiteDevicesState>(store, registry, logger), ISiteDevicesGrain
{
    // A site of thousands of devices, provisioned and deleted over years, has a long stream and a small state.
    protected override bool KeepsSnapshots => true;

    protected override string StreamKind => "devices";

    public Task AddAsync(string device, CancellationToken cancellationToken = default) =>
        ExecuteAsync(state => state.Devices.Contains(device) ? Decision.Nothing : Decision.Accept(new DeviceListed(device)));

    public Task RemoveAsync(string device, CancellationToken cancellationToken = default) =>
        ExecuteAsync(state => state.Devices.Contains(device) ? Decision.Accept(new DeviceUnlisted(device)) : Decision.Nothing);

    public Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<string>>([.. State.Devices]);
}
