using Edge.Actors.Abstractions;

namespace Edge.Actors.Silo.Demo;

/// <summary>
/// A demo region a newcomer can look at: three sites, each with two controllers, four workers, two storage hosts,
/// a replicated pool on the storage hosts, 20 VMs and 20 pods. Every command carries a fixed request id, so
/// seeding again is answered from the first outcome and records nothing.
/// </summary>
internal static class DemoRegion
{
    public static readonly IReadOnlyList<(string Id, string Description, string Location)> Sites =
    [
        ("factory-lyon", "Assembly plant, line 3", "Lyon"),
        ("tower-0427", "Cell tower 427", "Ghent"),
        ("store-berlin-12", "Flagship store", "Berlin"),
    ];

    private static readonly Flavor[] Flavors = [new("m1.small", 1, 2048, 20), new("m1.medium", 2, 4096, 40), new("m1.large", 4, 8192, 80)];

    public static async Task<IReadOnlyList<SiteView>> SeedAsync(IGrainFactory grains, CancellationToken cancellationToken)
    {
        var views = new List<SiteView>();
        foreach (var (siteId, description, location) in Sites)
        {
            var site = grains.GetGrain<ISiteGrain>(siteId);
            await site.CreateAsync(new CreateSite($"demo:{siteId}", description, location), cancellationToken);
            var hosts = Enumerable.Range(0, 2).Select(i => ($"controller-{i}", HostPersonality.Controller, 16))
                .Concat(Enumerable.Range(0, 4).Select(i => ($"worker-{i}", HostPersonality.Worker, 32)))
                .Concat(Enumerable.Range(0, 2).Select(i => ($"storage-{i}", HostPersonality.Storage, 8)));
            foreach (var (name, personality, vCpus) in hosts)
            {
                var host = grains.GetGrain<IHostGrain>(ResourceNames.Key(siteId, name));
                await host.AddAsync(new AddHost($"demo:add:{name}", personality, vCpus, vCpus * 4096L, 1000), cancellationToken);
                await host.UnlockAsync($"demo:unlock:{name}", cancellationToken);
            }

            var pool = grains.GetGrain<IStoragePoolGrain>(ResourceNames.Key(siteId, "ceph-rbd"));
            await pool.CreateAsync(new CreatePool("demo:pool", Size: 2), cancellationToken);
            for (var i = 0; i < 2; i++)
            {
                await pool.AddOsdAsync(new AddOsd($"demo:osd:{i}", $"storage-{i}", 2000), cancellationToken);
            }

            await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            {
                var group = i < 3 ? new ServerGroup("db", ServerGroupPolicy.AntiAffinity) : null;
                return grains.GetGrain<IInstanceGrain>(ResourceNames.Key(siteId, $"vm-{i:00}"))
                    .CreateAsync(new CreateInstance($"demo:vm:{i}", Flavors[i % Flavors.Length], "ubuntu-24.04", group), cancellationToken);
            }));
            await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
                grains.GetGrain<IPodGrain>($"{siteId}/edge-apps/app-{i:00}")
                    .CreateAsync(new CreatePod($"demo:pod:{i}", 250, 256, Owner: $"app-{i % 5}"), cancellationToken)));
            views.Add(await site.GetAsync(cancellationToken));
        }

        return views;
    }
}
