using Edge.Actors.Abstractions;

namespace Edge.Actors.Grains.Tests.Flows;

[Collection(ClusterGroup.Name)]
public sealed class InventoryFlowTests(ClusterFixture fixture)
{
    private async Task<SiteBuilder> NewSiteAsync() => await new SiteBuilder(fixture.Grains).CreateAsync();

    [Fact]
    public async Task Lock_MigratesVmsAndOwnedPodsAway_ThenLocksTheHost()
    {
        var site = await NewSiteAsync();
        await site.AddUnlockedHostAsync("worker-0", HostPersonality.Worker, 8);
        for (var i = 0; i < 4; i++)
        {
            await site.CreateVmAsync($"vm-{i}");
            await site.Pod("default", $"web-{i}").CreateAsync(new CreatePod($"p{i}", 250, 128, Owner: "web"));
        }

        await site.AddUnlockedHostAsync("worker-1", HostPersonality.Worker, 8);
        await site.AddUnlockedHostAsync("worker-2", HostPersonality.Worker, 8);

        var locked = await site.Host("worker-0").LockAsync(new LockHost("lock-1"));

        Assert.Equal((AdministrativeState.Locked, OperationalState.Disabled), (locked.Administrative, locked.Operational));
        for (var i = 0; i < 4; i++)
        {
            var vm = await site.Vm($"vm-{i}").GetAsync();
            Assert.NotEqual("worker-0", vm.Host);
            Assert.Equal(InstanceStatus.Active, vm.State);
            var pod = await site.Pod("default", $"web-{i}").GetAsync();
            Assert.NotEqual("worker-0", pod.Node);
            Assert.Equal(PodPhase.Running, pod.Phase);
        }

        var inventory = await site.SiteGrain.GetInventoryAsync();
        Assert.Empty(inventory.Hosts.Single(h => h.Host == "worker-0").Workloads);
        Assert.All(inventory.Hosts, h => Assert.True(h.Capacity.Covers(h.Allocated)));
    }

    [Fact]
    public async Task Lock_WhenVmsCannotAllMove_IsRefusedAndChangesNothing()
    {
        var site = await NewSiteAsync();
        await site.AddUnlockedHostAsync("worker-0", HostPersonality.Worker, 4);
        await site.AddUnlockedHostAsync("worker-1", HostPersonality.Worker, 4);
        await site.CreateVmAsync("big-0", vCpus: 3);
        await site.CreateVmAsync("big-1", vCpus: 3);
        var hostOfBig0 = (await site.Vm("big-0").GetAsync()).Host;

        var refused = await Assert.ThrowsAsync<EdgeException>(() => site.Host(hostOfBig0).LockAsync(new LockHost("lock-1")));

        Assert.Equal(EdgeErrorCode.FailedPrecondition, refused.Code);
        Assert.Contains("cannot move", refused.Message, StringComparison.Ordinal);
        var host = await site.Host(hostOfBig0).GetAsync();
        Assert.Equal(AdministrativeState.Unlocked, host.Administrative);
        Assert.Equal((hostOfBig0, InstanceStatus.Active), ((await site.Vm("big-0").GetAsync()).Host, (await site.Vm("big-0").GetAsync()).State));
        Assert.True((await site.SiteGrain.DescribeHostAsync(hostOfBig0))!.Schedulable);
    }

    [Fact]
    public async Task ForceLock_StopsWhatCannotMove_AndDeleteWaitsUntilItIsGone()
    {
        var site = await NewSiteAsync();
        await site.AddUnlockedHostAsync("worker-0", HostPersonality.Worker, 4);
        await site.CreateVmAsync("stuck");

        await site.Host("worker-0").LockAsync(new LockHost("lock-1", Force: true));

        var vm = await site.Vm("stuck").GetAsync();
        Assert.Equal((InstanceStatus.Stopped, "worker-0"), (vm.State, vm.Host));
        var refused = await Assert.ThrowsAsync<EdgeException>(() => site.Host("worker-0").DeleteAsync("delete-1"));
        Assert.Contains("instance/stuck", refused.Message, StringComparison.Ordinal);
        await site.Vm("stuck").DeleteAsync("delete-vm");
        var deleted = await site.Host("worker-0").DeleteAsync("delete-2");
        Assert.True(deleted.Deleted);
        Assert.Empty((await site.SiteGrain.GetInventoryAsync()).Hosts);
    }

    [Fact]
    public async Task Delete_UnlockedHost_IsRefused()
    {
        var site = await NewSiteAsync();
        await site.AddUnlockedHostAsync("worker-0", HostPersonality.Worker, 4);

        var refused = await Assert.ThrowsAsync<EdgeException>(() => site.Host("worker-0").DeleteAsync("delete-1"));

        Assert.Equal(EdgeErrorCode.FailedPrecondition, refused.Code);
    }

    [Fact]
    public async Task PoolHealth_FollowsTheAvailabilityOfItsStorageHosts()
    {
        var site = await NewSiteAsync();
        var pool = await site.AddPoolOnTwoStorageHostsAsync();
        await pool.AddOsdAsync(new AddOsd("osd-0", "storage-0", 500));
        Assert.Equal(PoolHealth.Warn, (await pool.GetAsync()).Health);
        await pool.AddOsdAsync(new AddOsd("osd-1", "storage-1", 500));
        Assert.Equal(PoolHealth.Ok, (await pool.GetAsync()).Health);

        await site.Host("storage-0").LockAsync(new LockHost("lock-0"));
        Assert.Equal(PoolHealth.Warn, (await pool.GetAsync()).Health);
        await site.Host("storage-1").LockAsync(new LockHost("lock-1"));
        Assert.Equal(PoolHealth.Err, (await pool.GetAsync()).Health);
        await site.Host("storage-0").UnlockAsync("unlock-0b");
        await site.Host("storage-1").UnlockAsync("unlock-1b");

        Assert.Equal(PoolHealth.Ok, (await pool.GetAsync()).Health);
        Assert.Equal(["rbd"], (await site.SiteGrain.GetInventoryAsync()).Pools);
    }

    [Fact]
    public async Task Volume_AttachesOnlyToAnExistingVm()
    {
        var site = await NewSiteAsync();
        await site.AddUnlockedHostAsync("controller-0", HostPersonality.Controller, 8);
        await site.CreateVmAsync("vm-1");
        var pool = site.Pool("rbd");
        await pool.CreateAsync(new CreatePool("pool-1", Size: 1));
        await pool.AddOsdAsync(new AddOsd("osd-0", "controller-0", 100));
        await pool.CreateVolumeAsync(new CreateVolume("vol-1", "data", 10));

        var missing = await Assert.ThrowsAsync<EdgeException>(() => pool.AttachVolumeAsync("att-0", "data", "vm-404"));
        var attached = await pool.AttachVolumeAsync("att-1", "data", "vm-1");

        Assert.Equal(("instance", EdgeErrorCode.NotFound), (missing.Field, missing.Code));
        Assert.Equal("vm-1", attached.Volumes.Single().AttachedTo);
    }

    [Fact]
    public async Task Command_RepeatedWithTheSameRequestId_ReturnsTheFirstOutcomeAndRecordsNothingNew()
    {
        var site = await NewSiteAsync();
        await site.AddUnlockedHostAsync("worker-0", HostPersonality.Worker, 4);
        var first = await site.CreateVmAsync("vm-1");

        var again = await site.CreateVmAsync("vm-1");
        await site.Host("worker-0").UnlockAsync("unlock-worker-0");

        Assert.Equal(first, again);
        Assert.Equal(1, (await site.SiteGrain.GetAsync()).Instances);
    }

    [Fact]
    public async Task Migrate_ToANamedHost_MovesTheVmAndItsAllocation()
    {
        var site = await NewSiteAsync();
        await site.AddUnlockedHostAsync("worker-0", HostPersonality.Worker, 4);
        await site.CreateVmAsync("vm-1", vCpus: 2);
        await site.AddUnlockedHostAsync("worker-1", HostPersonality.Worker, 4);

        var migrated = await site.Vm("vm-1").MigrateAsync(new MigrateInstance("m1", "worker-1"));

        Assert.Equal(("worker-1", InstanceStatus.Active), (migrated.Host, migrated.State));
        var inventory = await site.SiteGrain.GetInventoryAsync();
        Assert.Equal(["instance/vm-1"], inventory.Hosts.Single(h => h.Host == "worker-1").Workloads);
        Assert.Equal(Resources.None, inventory.Hosts.Single(h => h.Host == "worker-0").Allocated);
    }
}
