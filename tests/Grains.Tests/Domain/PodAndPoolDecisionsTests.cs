using Edge.Actors.Abstractions;
using Edge.Actors.Grains.Pods;
using Edge.Actors.Grains.Storage;

namespace Edge.Actors.Grains.Tests.Domain;

public sealed class PodDecisionsTests
{
    private static readonly CreatePod Create = new("p1", 500, 256, Owner: "web");

    [Fact]
    public void Create_IsPendingThenRunningOnTheChosenNode()
    {
        var pod = new PodState().Then(PodDecisions.Create(new PodState(), "s1", "default", "web-1", Create, "w1"));

        Assert.Equal((PodPhase.Running, "w1", "web"), (pod.Phase, pod.Node, pod.Owner));
    }

    [Theory]
    [InlineData("Default", "web-1", 500, 256, "namespace")]
    [InlineData("default", "web_1", 500, 256, "name")]
    [InlineData("default", "web-1", 0, 256, "milli_cpu")]
    [InlineData("default", "web-1", 500, 0, "memory_mib")]
    public void Create_BadInput_IsRefusedNamingTheField(string ns, string name, long cpu, long memory, string field)
    {
        Assert.Equal(field, PodDecisions.CheckCreate(new PodState(), ns, name, Create with { MilliCpu = cpu, MemoryMiB = memory })?.Field);
    }

    [Fact]
    public void Reschedule_MovesARunningPod_AndEvictFailsIt()
    {
        var pod = new PodState().Then(PodDecisions.Create(new PodState(), "s1", "default", "web-1", Create, "w1"));

        pod.Then(PodDecisions.Reschedule(pod, "w2"));
        Assert.Equal(("w2", PodPhase.Running), (pod.Node, pod.Phase));
        pod.Then(PodDecisions.Evict(pod, "node locked"));
        Assert.Equal(PodPhase.Failed, pod.Phase);
        Assert.Empty(PodDecisions.Evict(pod, "again").Events);
    }

    [Fact]
    public void Delete_Twice_IsNotFoundTheSecondTime()
    {
        var pod = new PodState().Then(PodDecisions.Create(new PodState(), "s1", "default", "web-1", Create, "w1"));
        pod.Then(PodDecisions.Delete(pod, "d1"));

        PodDecisions.Delete(pod, "d2").Refused(EdgeErrorCode.NotFound);
    }
}

public sealed class PoolDecisionsTests
{
    private static SiteHostView Host(string name, HostPersonality personality, bool up) =>
        new(name, personality, Resources.None, Resources.None, up, up, []);

    private static PoolState PoolWithOsds(int size, params (string Host, bool Up)[] osds)
    {
        var pool = new PoolState().Then(PoolDecisions.Create(new PoolState(), "s1", "rbd", new CreatePool("c1", size)));
        foreach (var (host, up) in osds)
        {
            pool.Then(PoolDecisions.AddOsd(pool, new AddOsd($"o-{host}", host, 100), Host(host, HostPersonality.Storage, up), siteHasStorageHosts: true));
        }

        return pool;
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(3, 2)]
    public void Create_DefaultsMinSizeFromReplication(int size, int minSize)
    {
        Assert.Equal(minSize, new PoolState().Then(PoolDecisions.Create(new PoolState(), "s1", "rbd", new CreatePool("c1", size))).MinSize);
    }

    [Theory]
    [InlineData(0, null, "size")]
    [InlineData(4, null, "size")]
    [InlineData(2, 3, "min_size")]
    [InlineData(2, 0, "min_size")]
    public void Create_BadReplication_IsRefusedNamingTheField(int size, int? minSize, string field)
    {
        Assert.Equal(field, PoolDecisions.Create(new PoolState(), "s1", "rbd", new CreatePool("c1", size, minSize)).Refused(EdgeErrorCode.InvalidArgument).Field);
    }

    [Fact]
    public void Health_FollowsHowManyReplicaHostsAreUp()
    {
        var pool = PoolWithOsds(3, ("s0", true), ("s1", true), ("s2", true));
        Assert.Equal(PoolHealth.Ok, pool.Health);

        pool.Then(PoolDecisions.HostStateChanged(pool, "s0", false));
        Assert.Equal(PoolHealth.Warn, pool.Health);

        var decision = PoolDecisions.HostStateChanged(pool, "s1", false);
        Assert.Contains(decision.Events, e => e is PoolHealthChanged { Health: PoolHealth.Err });
        pool.Then(decision).Then(PoolDecisions.HostStateChanged(pool, "s0", true)).Then(PoolDecisions.HostStateChanged(pool, "s1", true));
        Assert.Equal(PoolHealth.Ok, pool.Health);
        Assert.Empty(PoolDecisions.HostStateChanged(pool, "s1", true).Events);
        Assert.Empty(PoolDecisions.HostStateChanged(pool, "unrelated", false).Events);
    }

    [Fact]
    public void AddOsd_OnlyOnStorageHosts_OrAControllerWithoutStorageHosts()
    {
        var pool = PoolWithOsds(1);

        Assert.Equal("host", PoolDecisions.AddOsd(pool, new AddOsd("a1", "w1", 100), Host("w1", HostPersonality.Worker, true), true).Refused(EdgeErrorCode.FailedPrecondition).Field);
        PoolDecisions.AddOsd(pool, new AddOsd("a2", "c0", 100), Host("c0", HostPersonality.Controller, true), true).Refused(EdgeErrorCode.FailedPrecondition);
        Assert.Null(PoolDecisions.AddOsd(pool, new AddOsd("a3", "c0", 100), Host("c0", HostPersonality.Controller, true), false).Refusal);
        PoolDecisions.AddOsd(pool, new AddOsd("a4", "x", 100), null, true).Refused(EdgeErrorCode.NotFound);
    }

    [Fact]
    public void Volumes_FitInCapacityOverReplicas_AndAttachedOnesCannotBeDeleted()
    {
        var pool = PoolWithOsds(2, ("s0", true), ("s1", true));
        Assert.Equal(100, pool.CapacityGiB);

        PoolDecisions.CreateVolume(pool, new CreateVolume("v0", "big", 101)).Refused(EdgeErrorCode.FailedPrecondition);
        pool.Then(PoolDecisions.CreateVolume(pool, new CreateVolume("v1", "data", 60)));
        Assert.Equal(60, pool.UsedGiB);
        PoolDecisions.CreateVolume(pool, new CreateVolume("v2", "more", 41)).Refused(EdgeErrorCode.FailedPrecondition);

        PoolDecisions.Attach(pool, "a0", "data", "vm-9", instanceLive: false).Refused(EdgeErrorCode.NotFound);
        pool.Then(PoolDecisions.Attach(pool, "a1", "data", "vm-1", instanceLive: true));
        PoolDecisions.Attach(pool, "a2", "data", "vm-2", instanceLive: true).Refused(EdgeErrorCode.FailedPrecondition);
        PoolDecisions.DeleteVolume(pool, "d1", "data").Refused(EdgeErrorCode.FailedPrecondition);
        pool.Then(PoolDecisions.Detach(pool, "x1", "data")).Then(PoolDecisions.DeleteVolume(pool, "d2", "data"));
        Assert.Empty(pool.Volumes);
    }
}
