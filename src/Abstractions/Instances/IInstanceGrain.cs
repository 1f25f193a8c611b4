namespace Edge.Actors.Abstractions;

/// <summary>One VM, keyed <c>site/name</c>.</summary>
public interface IInstanceGrain : IGrainWithStringKey
{
    /// <summary>Creates the VM on a host the site's scheduler chooses; refused when no host has room.</summary>
    Task<InstanceView> CreateAsync(CreateInstance command, CancellationToken cancellationToken = default);

    /// <summary>Deletes the VM and frees its resources.</summary>
    Task<InstanceView> DeleteAsync(string requestId, CancellationToken cancellationToken = default);

    /// <summary>Stops an active VM; it keeps its resources.</summary>
    Task<InstanceView> StopAsync(string requestId, CancellationToken cancellationToken = default);

    /// <summary>Starts a stopped VM on its host.</summary>
    Task<InstanceView> StartAsync(string requestId, CancellationToken cancellationToken = default);

    /// <summary>Live-migrates an active (or cold-migrates a stopped) VM to the named host, or to the best one.</summary>
    Task<InstanceView> MigrateAsync(MigrateInstance command, CancellationToken cancellationToken = default);

    /// <summary>Follows a move the site's scheduler decided (a host lock); idempotent.</summary>
    Task RelocateAsync(string toHost, CancellationToken cancellationToken = default);

    /// <summary>Stops the VM because its host was force-locked; idempotent.</summary>
    Task StopForHostAsync(string reason, CancellationToken cancellationToken = default);

    /// <summary>Rebuilds the VM on the host the site's scheduler chose because its own host failed; idempotent.</summary>
    Task EvacuateAsync(string fromHost, string toHost, CancellationToken cancellationToken = default);

    /// <summary>Marks the VM failed because its host failed and no other host has room (alarm 700.001); idempotent.</summary>
    Task FailForHostAsync(string reason, CancellationToken cancellationToken = default);

    /// <summary>The VM's state.</summary>
    Task<InstanceView> GetAsync(CancellationToken cancellationToken = default);
}

[GenerateSerializer, Immutable, Alias("edge.create-instance")]
public sealed record CreateInstance(
    [property: Id(0)] string RequestId,
    [property: Id(1)] Flavor Flavor,
    [property: Id(2)] string Image,
    [property: Id(3)] ServerGroup? Group = null);

[GenerateSerializer, Immutable, Alias("edge.migrate-instance")]
public sealed record MigrateInstance([property: Id(0)] string RequestId, [property: Id(1)] string? ToHost = null);

[GenerateSerializer, Immutable, Alias("edge.instance-view")]
public sealed record InstanceView(
    [property: Id(0)] string Site,
    [property: Id(1)] string Name,
    [property: Id(2)] Flavor Flavor,
    [property: Id(3)] string Image,
    [property: Id(4)] ServerGroup? Group,
    [property: Id(5)] string Host,
    [property: Id(6)] InstanceStatus State,
    [property: Id(7)] string? Reason,
    [property: Id(8)] long Version);
