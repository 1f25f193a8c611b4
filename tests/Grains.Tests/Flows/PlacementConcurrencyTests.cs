using Edge.Actors.Abstractions;

namespace Edge.Actors.Grains.Tests.Flows;

[Collection(ClusterGroup.Name)]
public sealed class PlacementConcurrencyTests(ClusterFixture fixture)
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Creates_RacingForRoomForExactlyOneHundred_ActivateOneHundredAndRefuseTheRestForCapacity(bool throughSite)
    {
        var site = await new SiteBuilder(fixture.Grains).CreateAsync();
        for (var i = 0; i < 4; i++)
        {
            await site.AddUnlockedHostAsync($"worker-{i}", HostPersonality.Worker, vCpus: 25);
        }

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 200).Select(async i =>
        {
            try
            {
                var vm = throughSite ? await site.CreateVmThroughSiteAsync($"vm-{i}") : await site.CreateVmAsync($"vm-{i}");
                return (Vm: vm, Error: (EdgeException?)null);
            }
            catch (EdgeException refused)
            {
                return (Vm: (InstanceView?)null, Error: refused);
            }
        }));

        Assert.Equal(100, outcomes.Count(o => o.Vm is { State: InstanceStatus.Active }));
        Assert.All(outcomes.Where(o => o.Error is not null), o =>
        {
            Assert.Equal(EdgeErrorCode.FailedPrecondition, o.Error!.Code);
            Assert.Contains("no host has room", o.Error.Message, StringComparison.Ordinal);
        });
        Assert.Equal(100, outcomes.Count(o => o.Error is not null));
        var before = await site.SiteGrain.GetInventoryAsync();
        Assert.All(before.Hosts, h => Assert.Equal(25_000, h.Allocated.MilliCpu));
        Assert.Equal(100, before.Instances.Count);

        // The history replays to the same state: drop every activation and read again.
        await fixture.Cluster.DeactivateAsync(site.SiteGrain);
        var created = outcomes.Where(o => o.Vm is not null).Select(o => o.Vm!).ToList();
        foreach (var vm in created)
        {
            await fixture.Cluster.DeactivateAsync(site.Vm(vm.Name));
        }

        var after = await site.SiteGrain.GetInventoryAsync();
        Assert.Equal(before.Instances, after.Instances);
        Assert.Equal(before.Hosts.Select(h => (h.Host, h.Allocated, string.Join(',', h.Workloads))), after.Hosts.Select(h => (h.Host, h.Allocated, string.Join(',', h.Workloads))));
        foreach (var vm in created)
        {
            var replayed = await site.Vm(vm.Name).GetAsync();
            Assert.Equal((vm.Host, vm.State), (replayed.Host, replayed.State));
            Assert.Contains($"instance/{vm.Name}", after.Hosts.Single(h => h.Host == vm.Host).Workloads);
        }
    }
}
