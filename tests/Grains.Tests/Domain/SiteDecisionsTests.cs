using Edge.Actors.Abstractions;
using Edge.Actors.Grains.Common;
using Edge.Actors.Grains.Sites;

namespace Edge.Actors.Grains.Tests.Domain;

public sealed class SiteDecisionsTests
{
    private static readonly Resources Worker = Resources.FromVCpus(8, 16384, 200);
    private static readonly Resources Small = Resources.FromVCpus(2, 2048, 20);

    private static SiteState SiteWith(params (string Name, HostPersonality Personality, bool Schedulable)[] hosts)
    {
        var state = Given.State<SiteState>(new RequestAccepted("r0"), new SiteCreated("s1", "", ""));
        foreach (var (name, personality, schedulable) in hosts)
        {
            state.Apply(new HostEnrolled(name, personality, Worker));
            state.Apply(new HostSchedulingChanged(name, schedulable, schedulable));
        }

        return state;
    }

    private static PlacementRequest Vm(string name, Resources? resources = null, ServerGroup? group = null) =>
        new(Workloads.Instance(name), WorkloadKind.Instance, resources ?? Small, group);

    [Fact]
    public void Create_NewSite_StartsUnmanagedAndOnline()
    {
        var state = Given.State<SiteState>().Then(SiteDecisions.Create(new SiteState(), "s-042", new CreateSite("r1", "factory", "Lyon")));

        Assert.True(state.Exists);
        Assert.Equal(SiteManagement.Unmanaged, state.Management);
        Assert.Equal(SiteAvailability.Online, state.Availability);
        Assert.Equal("Lyon", state.Location);
    }

    [Fact]
    public void Create_RepeatedRequestId_RaisesNothing()
    {
        var state = Given.State<SiteState>(new RequestAccepted("r1"), new SiteCreated("s1", "", ""));

        Assert.Empty(SiteDecisions.Create(state, "s1", new CreateSite("r1")).Events);
    }

    [Fact]
    public void Create_ExistingSiteWithNewRequest_IsRefusedAsAlreadyExists()
    {
        var state = Given.State<SiteState>(new RequestAccepted("r1"), new SiteCreated("s1", "", ""));

        var refusal = SiteDecisions.Create(state, "s1", new CreateSite("r2")).Refused(EdgeErrorCode.AlreadyExists);

        Assert.Equal("site_id", refusal.Field);
    }

    [Theory]
    [InlineData("S1")]
    [InlineData("-s1")]
    [InlineData("s_1")]
    [InlineData("")]
    public void Create_InvalidSiteId_IsRefusedNamingTheField(string siteId)
    {
        var refusal = SiteDecisions.Create(new SiteState(), siteId, new CreateSite("r1")).Refused(EdgeErrorCode.InvalidArgument);

        Assert.Equal("site_id", refusal.Field);
    }

    [Fact]
    public void Create_EmptyRequestId_IsRefusedNamingTheField()
    {
        var refusal = SiteDecisions.Create(new SiteState(), "s1", new CreateSite(" ")).Refused(EdgeErrorCode.InvalidArgument);

        Assert.Equal("request_id", refusal.Field);
    }

    [Fact]
    public void Manage_ThenUnmanage_FollowsTheRequests_AndRefusesANoOp()
    {
        var state = SiteWith().Then(SiteDecisions.SetManagement(SiteWith(), "m1", SiteManagement.Managed));
        Assert.Equal(SiteManagement.Managed, state.Management);

        SiteDecisions.SetManagement(state, "m2", SiteManagement.Managed).Refused(EdgeErrorCode.FailedPrecondition);
        state.Then(SiteDecisions.SetManagement(state, "m3", SiteManagement.Unmanaged));
        Assert.Equal(SiteManagement.Unmanaged, state.Management);
    }

    [Fact]
    public void Manage_UnknownSite_IsRefusedAsNotFound()
    {
        SiteDecisions.SetManagement(new SiteState(), "m1", SiteManagement.Managed).Refused(EdgeErrorCode.NotFound);
    }

    [Fact]
    public void Place_SpreadsAcrossWorkersByFreeCapacity()
    {
        var state = SiteWith(("w1", HostPersonality.Worker, true), ("w2", HostPersonality.Worker, true), ("c1", HostPersonality.Controller, true));

        var hosts = Enumerable.Range(0, 4).Select(i =>
        {
            var decision = SiteDecisions.Place(state, Vm($"vm{i}"));
            state.Then(decision);
            return Assert.IsType<WorkloadPlaced>(decision.Events.Single()).Host;
        }).ToList();

        Assert.Equal(["w1", "w2", "w1", "w2"], hosts);
    }

    [Fact]
    public void Place_OnlyOnSchedulableHostsWithRoom_ElseRefusedForCapacity()
    {
        var state = SiteWith(("w1", HostPersonality.Worker, true), ("w2", HostPersonality.Worker, false));
        state.Then(SiteDecisions.Place(state, Vm("big", Resources.FromVCpus(7, 1024, 10))));

        var refusal = SiteDecisions.Place(state, Vm("more", Resources.FromVCpus(2, 1024, 10))).Refused(EdgeErrorCode.FailedPrecondition);

        Assert.Contains("no host has room", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Place_WithoutWorkers_UsesTheController()
    {
        var state = SiteWith(("controller-0", HostPersonality.Controller, true));

        var placed = Assert.IsType<WorkloadPlaced>(SiteDecisions.Place(state, Vm("vm1")).Events.Single());

        Assert.Equal("controller-0", placed.Host);
    }

    [Fact]
    public void Place_NeverOnStorageHosts()
    {
        var state = SiteWith(("storage-0", HostPersonality.Storage, true));

        SiteDecisions.Place(state, Vm("vm1")).Refused(EdgeErrorCode.FailedPrecondition);
    }

    [Fact]
    public void Place_SameWorkloadTwice_KeepsTheFirstAnswer()
    {
        var state = SiteWith(("w1", HostPersonality.Worker, true), ("w2", HostPersonality.Worker, true));
        state.Then(SiteDecisions.Place(state, Vm("vm1")));

        Assert.Empty(SiteDecisions.Place(state, Vm("vm1")).Events);
    }

    [Fact]
    public void Place_AntiAffinityGroup_PutsEachMemberOnADifferentHost_AndRefusesWhenHostsRunOut()
    {
        var state = SiteWith(("w1", HostPersonality.Worker, true), ("w2", HostPersonality.Worker, true));
        var group = new ServerGroup("db", ServerGroupPolicy.AntiAffinity);
        state.Then(SiteDecisions.Place(state, Vm("a", group: group))).Then(SiteDecisions.Place(state, Vm("b", group: group)));

        Assert.NotEqual(state.Allocations[Workloads.Instance("a")].Host, state.Allocations[Workloads.Instance("b")].Host);
        var refusal = SiteDecisions.Place(state, Vm("c", group: group)).Refused(EdgeErrorCode.FailedPrecondition);
        Assert.Contains("server group db", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Place_AffinityGroup_PutsEveryMemberWithTheFirst()
    {
        var state = SiteWith(("w1", HostPersonality.Worker, true), ("w2", HostPersonality.Worker, true));
        var group = new ServerGroup("web", ServerGroupPolicy.Affinity);
        foreach (var name in new[] { "a", "b", "c" })
        {
            state.Then(SiteDecisions.Place(state, Vm(name, group: group)));
        }

        Assert.Single(state.Allocations.Values.Select(a => a.Host).Distinct());
    }

    [Fact]
    public void Place_GroupWithConflictingPolicy_IsRefusedNamingThePolicy()
    {
        var state = SiteWith(("w1", HostPersonality.Worker, true));
        state.Then(SiteDecisions.Place(state, Vm("a", group: new ServerGroup("web", ServerGroupPolicy.Affinity))));

        var refusal = SiteDecisions.Place(state, Vm("b", group: new ServerGroup("web", ServerGroupPolicy.AntiAffinity))).Refused(EdgeErrorCode.InvalidArgument);

        Assert.Equal("group.policy", refusal.Field);
    }

    [Fact]
    public void Move_ToNamedHost_ChecksItsRoom_AndToChosenHostExcludesTheCurrentOne()
    {
        var state = SiteWith(("w1", HostPersonality.Worker, true), ("w2", HostPersonality.Worker, true), ("w3", HostPersonality.Worker, false));
        state.Then(SiteDecisions.Place(state, Vm("vm1")));
        var from = state.Allocations[Workloads.Instance("vm1")].Host;

        Assert.Equal("to_host", SiteDecisions.Move(state, Workloads.Instance("vm1"), "w3").Refused(EdgeErrorCode.FailedPrecondition).Field);
        Assert.Equal("to_host", SiteDecisions.Move(state, Workloads.Instance("vm1"), "nope").Refused(EdgeErrorCode.NotFound).Field);
        Assert.Equal("to_host", SiteDecisions.Move(state, Workloads.Instance("vm1"), from).Refused(EdgeErrorCode.FailedPrecondition).Field);
        var moved = Assert.IsType<WorkloadMoved>(SiteDecisions.Move(state, Workloads.Instance("vm1"), null).Events.Single());
        Assert.NotEqual(from, moved.ToHost);
    }

    [Fact]
    public void Release_FreesTheHost()
    {
        var state = SiteWith(("w1", HostPersonality.Worker, true));
        state.Then(SiteDecisions.Place(state, Vm("vm1")));

        state.Then(SiteDecisions.Release(state, Workloads.Instance("vm1")));

        Assert.Equal(Resources.None, state.Hosts["w1"].Allocated);
        Assert.Empty(SiteDecisions.Release(state, Workloads.Instance("vm1")).Events);
    }

    [Fact]
    public void Drain_MovesEveryWorkloadWithoutOverfillingAnyHost()
    {
        var state = SiteWith(("w1", HostPersonality.Worker, true), ("w2", HostPersonality.Worker, false));
        for (var i = 0; i < 3; i++)
        {
            state.Then(SiteDecisions.Place(state, Vm($"vm{i}")));
        }

        state.Then(SiteDecisions.UpdateHost(state, "w2", true, true)).Then(SiteDecisions.Place(state, Vm("other", Resources.FromVCpus(1, 1024, 10))));
        state.Then(SiteDecisions.Drain(state, "w1", force: false));

        Assert.Empty(SiteDecisions.WorkloadsOn(state, "w1"));
        Assert.Equal(Resources.FromVCpus(7, 3 * 2048 + 1024, 70), state.Hosts["w2"].Allocated);
        Assert.True(state.Hosts["w2"].Capacity.Covers(state.Hosts["w2"].Allocated));
        Assert.False(state.Hosts["w1"].Schedulable);
    }

    [Fact]
    public void Drain_WhenWorkloadsCannotAllMove_IsRefusedWithTheReason()
    {
        var state = SiteWith(("w1", HostPersonality.Worker, true), ("w2", HostPersonality.Worker, true));
        state.Then(SiteDecisions.Place(state, Vm("big1", Resources.FromVCpus(6, 1024, 10)))).Then(SiteDecisions.Place(state, Vm("big2", Resources.FromVCpus(6, 1024, 10))));

        var refusal = SiteDecisions.Drain(state, "w1", force: false).Refused(EdgeErrorCode.FailedPrecondition);

        Assert.Contains("cannot move", refusal.Message, StringComparison.Ordinal);
        Assert.True(state.Hosts["w1"].Schedulable);
    }

    [Fact]
    public void Drain_Forced_StopsVmsAndEvictsPodsThatCannotMove()
    {
        var state = SiteWith(("w1", HostPersonality.Worker, true));
        state.Then(SiteDecisions.Place(state, Vm("vm1")));
        state.Then(SiteDecisions.Place(state, new PlacementRequest(Workloads.Pod("ns/p1"), WorkloadKind.Pod, new Resources(500, 256, 0), Owned: true)));

        var drained = Assert.IsType<HostDrained>(SiteDecisions.Drain(state, "w1", force: true).Events.Single());

        Assert.Equal([Workloads.Instance("vm1")], drained.Stopped);
        Assert.Equal([Workloads.Pod("ns/p1")], drained.Evicted);
        Assert.Empty(drained.Moves);
    }

    [Fact]
    public void Drain_UnownedPod_RefusesAnUnforcedDrainEvenWithRoomElsewhere()
    {
        var state = SiteWith(("w1", HostPersonality.Worker, true), ("w2", HostPersonality.Worker, false));
        state.Then(SiteDecisions.Place(state, new PlacementRequest(Workloads.Pod("ns/bare"), WorkloadKind.Pod, new Resources(500, 256, 0), Owned: false)));
        state.Then(SiteDecisions.UpdateHost(state, "w2", true, true));

        var refusal = SiteDecisions.Drain(state, "w1", force: false).Refused(EdgeErrorCode.FailedPrecondition);

        Assert.Contains("nothing owns it", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Drain_Repeated_KeepsTheFirstPlan()
    {
        var state = SiteWith(("w1", HostPersonality.Worker, true), ("w2", HostPersonality.Worker, true));
        state.Then(SiteDecisions.Place(state, Vm("vm1")));
        state.Then(SiteDecisions.Drain(state, "w1", force: false));

        Assert.Empty(SiteDecisions.Drain(state, "w1", force: false).Events);
        Assert.True(state.Drains.ContainsKey("w1"));
    }

    [Fact]
    public void RemoveHost_HoldingWorkloads_IsRefused()
    {
        var state = SiteWith(("w1", HostPersonality.Worker, true));
        state.Then(SiteDecisions.Place(state, Vm("vm1")));

        var refusal = SiteDecisions.RemoveHost(state, "w1").Refused(EdgeErrorCode.FailedPrecondition);

        Assert.Contains("instance/vm1", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnrollHost_Twice_IsIdempotent_ButADifferentPersonalityIsRefused()
    {
        var state = SiteWith(("w1", HostPersonality.Worker, true));

        Assert.Empty(SiteDecisions.EnrollHost(state, "w1", HostPersonality.Worker, Worker).Events);
        SiteDecisions.EnrollHost(state, "w1", HostPersonality.Storage, Worker).Refused(EdgeErrorCode.AlreadyExists);
    }
}
