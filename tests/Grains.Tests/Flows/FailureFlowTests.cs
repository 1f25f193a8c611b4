using Edge.Actors.Abstractions;
using Edge.Actors.TestSupport;

namespace Edge.Actors.Grains.Tests.Flows;

/// <summary>What happens when a host fails and when it comes back: evacuation, alarms, pools, and the detector that decides it.</summary>
[Collection(ClusterGroup.Name)]
public sealed class FailureFlowTests(ClusterFixture fixture)
{
    private static readonly string[] Workers = ["worker-0", "worker-1"];

    private static readonly ServerGroup Spread = new("spread", ServerGroupPolicy.AntiAffinity);

    private async Task<SiteBuilder> NewSiteAsync() => await new SiteBuilder(fixture.Grains).CreateAsync();

    private IAlarmGrain Alarms(SiteBuilder site) => fixture.Grains.GetGrain<IAlarmGrain>(site.Site);

    private async Task<HashSet<(string Id, string Entity)>> ActiveAlarmsAsync(SiteBuilder site) =>
        [.. (await Alarms(site).ListAsync(new AlarmFilter(IncludeSuppressed: true))).Select(a => (a.AlarmId, a.EntityInstanceId))];

    [Fact]
    public async Task Fail_EvacuatesEveryVmAndOwnedPod_HonouringAntiAffinityAndCapacity_AndRaises200_004()
    {
        var site = await NewSiteAsync();
        for (var w = 0; w < 4; w++)
        {
            await site.AddUnlockedHostAsync($"worker-{w}", HostPersonality.Worker, 4);
        }

        // One member of the anti-affinity group per host, and two more VMs of 1 vCPU each per host.
        for (var i = 0; i < 4; i++)
        {
            await site.CreateVmAsync($"spread-{i}", group: Spread);
        }

        for (var i = 0; i < 8; i++)
        {
            await site.CreateVmAsync($"vm-{i}");
        }

        await site.Pod("default", "web-0").CreateAsync(new CreatePod("p0", 250, 128, Owner: "web"));
        var onFailed = (await site.SiteGrain.DescribeHostAsync("worker-1"))!.Workloads;

        await site.Host("worker-1").FailAsync("10 pulses missed");

        var host = await site.Host("worker-1").GetAsync();
        Assert.Equal((HostAvailability.Failed, OperationalState.Disabled), (host.Availability, host.Operational));
        var inventory = await site.SiteGrain.GetInventoryAsync();
        Assert.All(inventory.Hosts, h => Assert.True(h.Capacity.Covers(h.Allocated), $"{h.Host} is over capacity"));
        var vms = await Task.WhenAll(inventory.Instances.Select(name => site.Vm(name).GetAsync()));
        // Three hosts are left for four anti-affinity members: the one that was on worker-1 has nowhere to go and
        // stays there in error; every other VM it held is active elsewhere.
        var group = vms.Where(vm => vm.Group?.Name == "spread").ToList();
        var homeless = Assert.Single(group, vm => vm.State == InstanceStatus.Error);
        Assert.Equal("worker-1", homeless.Host);
        Assert.Equal([$"instance/{homeless.Name}"], inventory.Hosts.Single(h => h.Host == "worker-1").Workloads);
        Assert.Equal(3, group.Where(vm => vm.State == InstanceStatus.Active).Select(vm => vm.Host).Distinct().Count());
        Assert.All(vms.Where(vm => vm != homeless), vm => Assert.NotEqual("worker-1", vm.Host));
        Assert.Equal(onFailed.Count(w => w.StartsWith("instance/", StringComparison.Ordinal)) - 1, vms.Count(vm => vm != homeless && onFailed.Contains($"instance/{vm.Name}") && vm.State == InstanceStatus.Active));
        Assert.NotEqual("worker-1", (await site.Pod("default", "web-0").GetAsync()).Node);
        var alarms = await ActiveAlarmsAsync(site);
        Assert.Contains(("200.004", $"host={site.Site}/worker-1"), alarms);
        Assert.Contains(("700.001", $"site={site.Site}.instance={homeless.Name}"), alarms);
    }

    [Fact]
    public async Task Fail_WithNoRoomAnywhere_PutsTheVmInErrorWith700_001_AndARepeatChangesNothing()
    {
        var site = await NewSiteAsync();
        await site.AddUnlockedHostAsync("worker-0", HostPersonality.Worker, 2);
        await site.CreateVmAsync("big", vCpus: 2);
        await site.AddUnlockedHostAsync("worker-1", HostPersonality.Worker, 1);

        await site.Host("worker-0").FailAsync("10 pulses missed");
        var version = (await site.Vm("big").GetAsync()).Version;
        await site.Host("worker-0").FailAsync("10 pulses missed");
        await site.Host("worker-0").ResumeAsync();

        var vm = await site.Vm("big").GetAsync();
        Assert.Equal((InstanceStatus.Error, "worker-0", version), (vm.State, vm.Host, vm.Version));
        Assert.Contains("no other host has room", vm.Reason, StringComparison.Ordinal);
        var alarm = await Alarms(site).GetAsync("700.001", $"site={site.Site}.instance=big");
        Assert.Equal(AlarmSeverity.Critical, alarm.Severity);
    }

    [Fact]
    public async Task StorageHostFailure_TurnsThePoolUnhealthyWith800_001_AndRecoveryClearsEverything()
    {
        var site = await NewSiteAsync();
        var pool = await site.AddPoolOnTwoStorageHostsAsync();
        await pool.AddOsdAsync(new AddOsd("osd-0", "storage-0", 500));
        await pool.AddOsdAsync(new AddOsd("osd-1", "storage-1", 500));

        await site.Host("storage-0").DegradeAsync("6 pulses missed");
        Assert.Equal(PoolHealth.Ok, (await pool.GetAsync()).Health);
        Assert.Contains(("200.005", $"host={site.Site}/storage-0"), await ActiveAlarmsAsync(site));

        await site.Host("storage-0").FailAsync("10 pulses missed");
        Assert.Equal(PoolHealth.Warn, (await pool.GetAsync()).Health);
        var alarms = await ActiveAlarmsAsync(site);
        Assert.Contains(("800.001", $"site={site.Site}.pool=rbd"), alarms);
        Assert.Contains(("200.004", $"host={site.Site}/storage-0"), alarms);
        Assert.DoesNotContain(("200.005", $"host={site.Site}/storage-0"), alarms);

        await site.Host("storage-0").RecoverAsync();

        Assert.Equal(HostAvailability.Available, (await site.Host("storage-0").GetAsync()).Availability);
        Assert.Equal(PoolHealth.Ok, (await pool.GetAsync()).Health);
        Assert.Empty(await ActiveAlarmsAsync(site));
        var log = await Alarms(site).ReadLogAsync(0, 100);
        Assert.Equal(3, log.Entries.Count(e => e.Kind == EventLogKind.Set));
        Assert.Equal(3, log.Entries.Count(e => e.Kind == EventLogKind.Clear));
    }

    [Fact]
    public async Task Detector_FailsASilentHost_EvacuatesIt_AndRecoversItWhenItPulsesAgain()
    {
        var site = await NewSiteAsync();
        await site.AddUnlockedHostAsync("worker-0", HostPersonality.Worker, 4);
        await site.CreateVmAsync("vm-0");
        await site.AddUnlockedHostAsync("worker-1", HostPersonality.Worker, 4);
        var monitor = fixture.Grains.GetGrain<IHostMonitorGrain>(site.Site);
        await monitor.ConfigureAsync(new PulseSettings(PeriodMs: 50));
        using var stop = new CancellationTokenSource();
        var silent = new HashSet<string>();
        // Pulses every period for the hosts that are not silenced, as a gateway would relay them.
        var pulses = Task.Run(async () =>
        {
            using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
            while (await tick.WaitForNextTickAsync(stop.Token).ConfigureAwait(false))
            {
                string[] hosts;
                lock (silent)
                {
                    hosts = [.. Workers.Where(h => !silent.Contains(h))];
                }

                await monitor.PulsesAsync(new PulseBatch(hosts, [.. hosts.Select(_ => 0)]));
            }
        });
        try
        {
            await Eventually.MatchAsync(() => monitor.GetAsync(), v => v.Hosts.Count == 2, TimeSpan.FromSeconds(10), "both hosts watched");
            lock (silent)
            {
                silent.Add("worker-0");
            }

            await Eventually.MatchAsync(() => site.Vm("vm-0").GetAsync(), vm => vm.Host == "worker-1", TimeSpan.FromSeconds(10), "vm-0 evacuated to worker-1");
            Assert.Equal(HostAvailability.Failed, (await site.Host("worker-0").GetAsync()).Availability);
            Assert.Equal(HostAvailability.Available, (await site.Host("worker-1").GetAsync()).Availability);
            Assert.Contains(("200.004", $"host={site.Site}/worker-0"), await ActiveAlarmsAsync(site));

            lock (silent)
            {
                silent.Clear();
            }

            await Eventually.MatchAsync(() => site.Host("worker-0").GetAsync(), h => h.Availability == HostAvailability.Available, TimeSpan.FromSeconds(10), "worker-0 available again");
            await Eventually.MatchAsync(() => ActiveAlarmsAsync(site), a => a.Count == 0, TimeSpan.FromSeconds(10), "alarms cleared");
        }
        finally
        {
            await stop.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pulses);
        }
    }

    [Fact]
    public async Task Detector_SeeingTwoHostsFallSilentAtOnce_RaisesTheSiteAlarmAndEvacuatesNothing()
    {
        var site = await NewSiteAsync();
        for (var w = 0; w < 3; w++)
        {
            await site.AddUnlockedHostAsync($"worker-{w}", HostPersonality.Worker, 4);
        }

        await site.CreateVmAsync("vm-0");
        var before = await site.Vm("vm-0").GetAsync();
        var monitor = fixture.Grains.GetGrain<IHostMonitorGrain>(site.Site);
        await monitor.ConfigureAsync(new PulseSettings(PeriodMs: 50));
        await monitor.PulsesAsync(new PulseBatch(["worker-0", "worker-1", "worker-2"], [0, 0, 0]));

        // Nothing pulses any more: all three fall silent together.
        await Eventually.MatchAsync(() => ActiveAlarmsAsync(site), a => a.Contains(("200.020", $"site={site.Site}")), TimeSpan.FromSeconds(10), "the multi-node failure alarm");
        await Eventually.MatchAsync(
            () => Task.WhenAll(Enumerable.Range(0, 3).Select(w => site.Host($"worker-{w}").GetAsync())),
            hosts => hosts.All(h => h.Availability == HostAvailability.Degraded),
            TimeSpan.FromSeconds(10),
            "every host degraded");

        var view = await monitor.GetAsync();
        Assert.True(view.MultiNodeFailure);
        Assert.All(view.Hosts, h => Assert.True(h.SilentForMs >= 6 * 50, $"{h.Host} silent for only {h.SilentForMs} ms"));
        Assert.All(view.Hosts, h => Assert.Equal(PulseHealth.Degraded, h.Health));
        var vm = await site.Vm("vm-0").GetAsync();
        Assert.Equal((before.Host, before.Version, InstanceStatus.Active), (vm.Host, vm.Version, vm.State));
    }
}
