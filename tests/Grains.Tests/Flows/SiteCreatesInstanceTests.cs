using Edge.Actors.Abstractions;
using Edge.Actors.EventStore;

namespace Edge.Actors.Grains.Tests.Flows;

/// <summary>A VM created through the site's scheduler, which records the creation in the VM's own stream.</summary>
[Collection(ClusterGroup.Name)]
public sealed class SiteCreatesInstanceTests(ClusterFixture fixture)
{
    private async Task<SiteBuilder> SiteWithOneWorkerAsync(int vCpus = 4)
    {
        var site = await new SiteBuilder(fixture.Grains).CreateAsync();
        await site.AddUnlockedHostAsync("worker-0", HostPersonality.Worker, vCpus);
        return site;
    }

    private async Task<List<RecordedEvent>> VmStreamAsync(SiteBuilder site, string name)
    {
        var events = new List<RecordedEvent>();
        await foreach (var e in fixture.Store.ReadStreamAsync($"instance/{site.Site}/{name}"))
        {
            events.Add(e);
        }

        return events;
    }

    private static async Task<long> AllocatedMilliCpuAsync(SiteBuilder site) =>
        (await site.SiteGrain.GetInventoryAsync()).Hosts.Sum(h => h.Allocated.MilliCpu);

    [Fact]
    public async Task CreateThroughSite_RecordsTheVmInItsStream_AndItsGrainReadsTheSame()
    {
        var site = await SiteWithOneWorkerAsync();

        var created = await site.CreateVmThroughSiteAsync("vm-a", vCpus: 2);

        Assert.Equal((InstanceStatus.Active, "worker-0", 1), (created.State, created.Host, created.Version));
        Assert.Equal(["edge.instance-created"], (await VmStreamAsync(site, "vm-a")).Select(e => e.EventType));
        Assert.Equal(created, await site.Vm("vm-a").GetAsync());
        Assert.Equal(["vm-a"], (await site.SiteGrain.GetInventoryAsync()).Instances);
        Assert.Equal(2000, await AllocatedMilliCpuAsync(site));
    }

    [Fact]
    public async Task CreateThroughSite_Repeated_ReturnsTheFirstOutcomeAndRecordsNothingNew()
    {
        var site = await SiteWithOneWorkerAsync();
        var first = await site.CreateVmThroughSiteAsync("vm-a");

        var again = await site.CreateVmThroughSiteAsync("vm-a");

        Assert.Equal(first, again);
        Assert.Single(await VmStreamAsync(site, "vm-a"));
        Assert.Equal(1000, await AllocatedMilliCpuAsync(site));
    }

    [Fact]
    public async Task CreateThroughSite_OfALiveVmWithANewRequest_IsRefusedAsAlreadyExisting()
    {
        var site = await SiteWithOneWorkerAsync();
        await site.CreateVmThroughSiteAsync("vm-a");

        var refused = await Assert.ThrowsAsync<EdgeException>(() => site.CreateVmThroughSiteAsync("vm-a", requestId: "create-again"));

        Assert.Equal((EdgeErrorCode.AlreadyExists, "name"), (refused.Code, refused.Field));
        Assert.Equal(1000, await AllocatedMilliCpuAsync(site));
    }

    [Fact]
    public async Task CreateThroughSite_WithBadInput_IsRefusedWithTheFieldAndReservesNothing()
    {
        var site = await SiteWithOneWorkerAsync();

        var refused = await Assert.ThrowsAsync<EdgeException>(() => site.SiteGrain.CreateInstanceAsync(
            "vm-a", new CreateInstance("create-vm-a", new Flavor("tiny", 1, 16, 10), "cirros")));

        Assert.Equal((EdgeErrorCode.InvalidArgument, "flavor.memory_mib"), (refused.Code, refused.Field));
        Assert.Empty(await VmStreamAsync(site, "vm-a"));
        Assert.Equal(0, await AllocatedMilliCpuAsync(site));
    }

    [Fact]
    public async Task CreateThroughSite_AfterTheVmWasLookedUpAndNotFound_IsSeenByItsGrain()
    {
        var site = await SiteWithOneWorkerAsync();
        var missing = await Assert.ThrowsAsync<EdgeException>(() => site.Vm("vm-a").GetAsync());
        Assert.Equal(EdgeErrorCode.NotFound, missing.Code);

        var created = await site.CreateVmThroughSiteAsync("vm-a");

        Assert.Equal(created, await site.Vm("vm-a").GetAsync());
    }

    [Fact]
    public async Task CreateThroughSite_OfADeletedVm_CreatesItAgain_AndItsOldRequestRepeatedReservesNothing()
    {
        var site = await SiteWithOneWorkerAsync();
        await site.CreateVmThroughSiteAsync("vm-a");
        await site.Vm("vm-a").DeleteAsync("delete-vm-a");
        Assert.Equal(0, await AllocatedMilliCpuAsync(site));

        var repeated = await site.CreateVmThroughSiteAsync("vm-a");
        Assert.Equal(InstanceStatus.Deleted, repeated.State);
        Assert.Equal(0, await AllocatedMilliCpuAsync(site));

        var recreated = await site.CreateVmThroughSiteAsync("vm-a", requestId: "create-vm-a-again");
        Assert.Equal((InstanceStatus.Active, "worker-0"), (recreated.State, recreated.Host));
        Assert.Equal(1000, await AllocatedMilliCpuAsync(site));
        Assert.Equal(recreated, await site.Vm("vm-a").GetAsync());
    }

    [Fact]
    public async Task CreatesOfOneName_RacingThroughSiteAndGrain_LeaveOneVmAndOneReservation()
    {
        var site = await SiteWithOneWorkerAsync(vCpus: 64);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            try
            {
                var requestId = $"create-{i}";
                return i % 2 == 0
                    ? await site.CreateVmThroughSiteAsync("vm-a", requestId: requestId)
                    : await site.Vm("vm-a").CreateAsync(new CreateInstance(requestId, new Flavor("test", 1, 512, 10), "cirros"));
            }
            catch (EdgeException refused) when (refused.Code == EdgeErrorCode.AlreadyExists)
            {
                return null;
            }
        }));

        Assert.Single(outcomes, o => o is not null);
        Assert.Single(await VmStreamAsync(site, "vm-a"));
        Assert.Equal(1000, await AllocatedMilliCpuAsync(site));
        Assert.Equal(["vm-a"], (await site.SiteGrain.GetInventoryAsync()).Instances);
    }
}
