using System.Text.Json;
using Edge.Actors.Abstractions;
using Edge.Actors.EventStore.Serialization;
using Edge.Actors.Grains.Alarms;
using Edge.Actors.Grains.Common;
using Edge.Actors.Grains.Hosts;
using Edge.Actors.Grains.Instances;
using Edge.Actors.Grains.Pods;
using Edge.Actors.Grains.Sites;
using Edge.Actors.Grains.Storage;

namespace Edge.Actors.Grains.Tests.Domain;

/// <summary>A snapshot must load back into the same state, or activation from it would differ from a full replay.</summary>
public sealed class SnapshotRoundTripTests
{
    private static void AssertRoundTrips<T>(T state)
        where T : AggregateState
    {
        var json = JsonSerializer.Serialize(state, EventTypeRegistry.JsonOptions);
        var loaded = JsonSerializer.Deserialize<T>(json, EventTypeRegistry.JsonOptions);

        Assert.Equal(json, JsonSerializer.Serialize(loaded, EventTypeRegistry.JsonOptions));
    }

    [Fact]
    public void SiteState_WithHostsAllocationsGroupsDrainsAndPools_RoundTrips()
    {
        var site = Given.State<SiteState>(new RequestAccepted("r0"), new SiteCreated("s1", "plant", "Lyon"), new SiteManaged());
        foreach (var host in new[] { "w1", "w2", "w3" })
        {
            site.Apply(new HostEnrolled(host, HostPersonality.Worker, Resources.FromVCpus(8, 8192, 100)));
            site.Apply(new HostSchedulingChanged(host, true, true));
        }

        site.Then(SiteDecisions.Place(site, new PlacementRequest(Workloads.Instance("a"), WorkloadKind.Instance, Resources.FromVCpus(1, 512, 10), new ServerGroup("db", ServerGroupPolicy.AntiAffinity))));
        site.Then(SiteDecisions.Place(site, new PlacementRequest(Workloads.Pod("ns/p"), WorkloadKind.Pod, new Resources(250, 128, 0), Owned: true)));
        site.Then(SiteDecisions.Drain(site, site.Allocations[Workloads.Instance("a")].Host, force: false));
        site.Then(SiteDecisions.RegisterPool(site, "rbd"));

        AssertRoundTrips(site);
    }

    [Fact]
    public void HostInstancePodAndPoolStates_RoundTrip()
    {
        var host = new HostState().Then(HostDecisions.Add(new HostState(), "s1", "w1", new AddHost("a", HostPersonality.Worker, 4, 4096, 40)));
        host.Then(HostDecisions.Unlock(host, "u")).Then(HostDecisions.CompleteLock(host, "l", force: true));
        var vm = new InstanceState().Then(InstanceDecisions.Create(new InstanceState(), "s1", "vm", new CreateInstance("c", new Flavor("f", 1, 512, 1), "img", new ServerGroup("g", ServerGroupPolicy.Affinity)), "w1"));
        var pod = new PodState().Then(PodDecisions.Create(new PodState(), "s1", "ns", "p", new CreatePod("c", 100, 64, "web"), "w1"));
        var pool = new PoolState().Then(PoolDecisions.Create(new PoolState(), "s1", "rbd", new CreatePool("c", 2)));
        pool.Then(PoolDecisions.AddOsd(pool, new AddOsd("o", "st0", 100), new SiteHostView("st0", HostPersonality.Storage, Resources.None, Resources.None, true, true, []), true));
        pool.Then(PoolDecisions.CreateVolume(pool, new CreateVolume("v", "data", 10)));

        AssertRoundTrips(host);
        AssertRoundTrips(vm);
        AssertRoundTrips(pod);
        AssertRoundTrips(pool);
    }

    [Fact]
    public void AlarmState_WithActiveAndSuppressedAlarms_RoundTrips()
    {
        var alarms = new AlarmState();
        var now = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.FromHours(1));
        alarms.Then(AlarmDecisions.Raise(alarms, new RaiseAlarm("200.004", "host=s1/w1", AlarmSeverity.Critical, "failed", "lock and unlock", true), now));
        alarms.Then(AlarmDecisions.Raise(alarms, new RaiseAlarm("100.101", "host=s1/c0", AlarmSeverity.Major, "cpu"), now));
        alarms.Then(AlarmDecisions.Suppress(alarms, "100.101"));

        AssertRoundTrips(alarms);
    }
}
