using Edge.Actors.Abstractions;

namespace Edge.Actors.Grains.Tests.Flows;

/// <summary>Sets up a fresh site in the test cluster through the same grain calls an operator's client makes.</summary>
internal sealed class SiteBuilder(IGrainFactory grains)
{
    public string Site { get; } = $"s-{Guid.NewGuid():N}"[..14];

    public ISiteGrain SiteGrain => grains.GetGrain<ISiteGrain>(Site);

    public IHostGrain Host(string name) => grains.GetGrain<IHostGrain>(ResourceNames.Key(Site, name));

    public IInstanceGrain Vm(string name) => grains.GetGrain<IInstanceGrain>(ResourceNames.Key(Site, name));

    public IPodGrain Pod(string ns, string name) => grains.GetGrain<IPodGrain>($"{Site}/{ns}/{name}");

    public IStoragePoolGrain Pool(string name) => grains.GetGrain<IStoragePoolGrain>(ResourceNames.Key(Site, name));

    public async Task<SiteBuilder> CreateAsync()
    {
        await SiteGrain.CreateAsync(new CreateSite($"create-{Site}", "test site", "lab"));
        return this;
    }

    public async Task AddUnlockedHostAsync(string name, HostPersonality personality, int vCpus, long memoryMiB = 65536, long diskGiB = 2000)
    {
        await Host(name).AddAsync(new AddHost($"add-{name}", personality, vCpus, memoryMiB, diskGiB));
        await Host(name).UnlockAsync($"unlock-{name}");
    }

    /// <summary>Two unlocked storage hosts, <c>storage-0</c> and <c>storage-1</c>, and pool <c>rbd</c> of size 2 with no OSDs yet.</summary>
    public async Task<IStoragePoolGrain> AddPoolOnTwoStorageHostsAsync()
    {
        await AddUnlockedHostAsync("storage-0", HostPersonality.Storage, 4);
        await AddUnlockedHostAsync("storage-1", HostPersonality.Storage, 4);
        await Pool("rbd").CreateAsync(new CreatePool("pool-1", Size: 2));
        return Pool("rbd");
    }

    public Task<InstanceView> CreateVmAsync(string name, int vCpus = 1, ServerGroup? group = null) =>
        Vm(name).CreateAsync(CreateCommand(name, vCpus, group));

    /// <summary>Creates the VM as the gateway does: through the site's scheduler, which records it in the VM's stream.</summary>
    public Task<InstanceView> CreateVmThroughSiteAsync(string name, int vCpus = 1, ServerGroup? group = null, string? requestId = null) =>
        SiteGrain.CreateInstanceAsync(name, CreateCommand(name, vCpus, group, requestId));

    private static CreateInstance CreateCommand(string name, int vCpus, ServerGroup? group, string? requestId = null) =>
        new(requestId ?? $"create-{name}", new Flavor("test", vCpus, 512, 10), "cirros", group);
}
