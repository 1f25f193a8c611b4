namespace Edge.Actors.Abstractions;

/// <summary>The names of a site's provisioned devices, keyed by site id, so that devices can be listed without scanning the event store.</summary>
public interface ISiteDevicesGrain : IGrainWithStringKey
{
    /// <summary>Adds a device to the list (idempotent).</summary>
    Task AddAsync(string device, CancellationToken cancellationToken = default);

    /// <summary>Removes a device from the list (idempotent).</summary>
    Task RemoveAsync(string device, CancellationToken cancellationToken = default);

    /// <summary>The device names, in order.</summary>
    Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken = default);
}
