using Edge.Actors.Abstractions;
using Edge.Actors.Grains.Instances;

namespace Edge.Actors.Grains.Tests.Domain;

public sealed class InstanceDecisionsTests
{
    private static readonly CreateInstance Create = new("c1", new Flavor("m1.small", 2, 2048, 20), "ubuntu-24.04");

    private static InstanceState Active() => new InstanceState().Then(InstanceDecisions.Create(new InstanceState(), "s1", "vm-1", Create, "w1"));

    [Fact]
    public void Create_RecordsOneEventCarryingTheRequestId_ActiveOnTheChosenHost()
    {
        var decision = InstanceDecisions.Create(new InstanceState(), "s1", "vm-1", Create, "w1");

        var created = Assert.IsType<InstanceCreated>(Assert.Single(decision.Events));
        Assert.Equal(Create.RequestId, created.RequestId);
        var vm = new InstanceState().Then(decision);
        Assert.Equal(InstanceStatus.Active, vm.State);
        Assert.Equal("w1", vm.Host);
        Assert.True(vm.HasSeen(Create.RequestId));
        Assert.True(InstanceDecisions.Create(vm, "s1", "vm-1", Create, "w2").Events.Count == 0);
    }

    [Fact]
    public void Create_AsOlderStreamsRecordedIt_ReplaysToTheSameState()
    {
        var older = Given.State<InstanceState>(
            new RequestAccepted(Create.RequestId),
            new InstanceCreated("s1", "vm-1", Create.Flavor, Create.Image, null, ServerGroupPolicy.None, "w1"),
            new InstanceActivated());

        Assert.Equal(InstanceStatus.Active, older.State);
        Assert.Equal("w1", older.Host);
        Assert.True(older.HasSeen(Create.RequestId));
    }

    [Theory]
    [InlineData(0, 2048, 20, "ubuntu", "flavor.vcpus")]
    [InlineData(2, 10, 20, "ubuntu", "flavor.memory_mib")]
    [InlineData(2, 2048, 0, "ubuntu", "flavor.disk_gib")]
    [InlineData(2, 2048, 20, " ", "image")]
    public void Create_BadInput_IsRefusedNamingTheField(int vcpus, int memory, int disk, string image, string field)
    {
        var command = Create with { Flavor = new Flavor("f", vcpus, memory, disk), Image = image };

        Assert.Equal(field, InstanceDecisions.CheckCreate(new InstanceState(), "vm-1", command)?.Field);
    }

    [Fact]
    public void Create_BadName_IsRefusedNamingTheField()
    {
        Assert.Equal("name", InstanceDecisions.CheckCreate(new InstanceState(), "VM_1", Create)?.Field);
    }

    [Fact]
    public void Create_Existing_IsRefusedUnlessTheRequestRepeats()
    {
        Assert.Null(InstanceDecisions.CheckCreate(Active(), "vm-1", Create));
        Assert.Empty(InstanceDecisions.Create(Active(), "s1", "vm-1", Create, "w1").Events);
        Assert.Equal(EdgeErrorCode.AlreadyExists, InstanceDecisions.CheckCreate(Active(), "vm-1", Create with { RequestId = "c2" })?.Code);
    }

    [Fact]
    public void Stop_ThenStart_OnlyFromTheRightStates()
    {
        var vm = Active().Then(InstanceDecisions.Stop(Active(), "s1"));
        Assert.Equal(InstanceStatus.Stopped, vm.State);
        InstanceDecisions.Stop(vm, "s2").Refused(EdgeErrorCode.FailedPrecondition);

        InstanceDecisions.Start(vm, "st1", hostSchedulable: false).Refused(EdgeErrorCode.FailedPrecondition);
        vm.Then(InstanceDecisions.Start(vm, "st1", hostSchedulable: true));
        Assert.Equal(InstanceStatus.Active, vm.State);
        InstanceDecisions.Start(vm, "st2", hostSchedulable: true).Refused(EdgeErrorCode.FailedPrecondition);
    }

    [Fact]
    public void Migrate_Active_IsLiveThroughMigrating_AndEndsActiveOnTheTarget()
    {
        var decision = InstanceDecisions.Migrate(Active(), "m1", "w2");

        Assert.Contains(decision.Events, e => e is InstanceMigrationStarted);
        var vm = Active().Then(decision);
        Assert.Equal(("w2", InstanceStatus.Active), (vm.Host, vm.State));
    }

    [Fact]
    public void Migrate_Stopped_IsColdAndStaysStopped()
    {
        var vm = Active().Then(InstanceDecisions.Stop(Active(), "s1"));

        vm.Then(InstanceDecisions.Migrate(vm, "m1", "w2"));

        Assert.Equal(("w2", InstanceStatus.Stopped), (vm.Host, vm.State));
    }

    [Fact]
    public void Migrate_InError_IsRefused()
    {
        var vm = Active();
        vm.Apply(new InstanceFailed("boom"));

        Assert.Equal(EdgeErrorCode.FailedPrecondition, InstanceDecisions.CheckMigrate(vm, new MigrateInstance("m1"))?.Code);
    }

    [Fact]
    public void Relocate_ToCurrentHost_RaisesNothing()
    {
        Assert.Empty(InstanceDecisions.Migrate(Active(), null, "w1").Events);
    }

    [Fact]
    public void StopForHost_StopsAnActiveVmOnce()
    {
        var vm = Active().Then(InstanceDecisions.StopForHost(Active(), "host w1 was force-locked"));

        Assert.Equal(InstanceStatus.Stopped, vm.State);
        Assert.Equal("host w1 was force-locked", vm.Reason);
        Assert.Empty(InstanceDecisions.StopForHost(vm, "again").Events);
    }

    [Fact]
    public void Delete_ThenAnyCommand_IsNotFound()
    {
        var vm = Active().Then(InstanceDecisions.Delete(Active(), "d1"));

        Assert.Equal(InstanceStatus.Deleted, vm.State);
        InstanceDecisions.Stop(vm, "s1").Refused(EdgeErrorCode.NotFound);
        InstanceDecisions.Delete(vm, "d2").Refused(EdgeErrorCode.NotFound);
        Assert.Empty(InstanceDecisions.Delete(vm, "d1").Events);
    }

    [Fact]
    public void Evacuate_RebuildsTheVmOnTheChosenHost_Once_KeepingAStoppedVmStopped()
    {
        var evacuated = Active().Then(InstanceDecisions.Evacuate(Active(), "w2"));

        Assert.Equal(("w2", InstanceStatus.Active), (evacuated.Host, evacuated.State));
        Assert.Empty(InstanceDecisions.Evacuate(evacuated, "w2").Events);
        var stopped = Active().Then(InstanceDecisions.Stop(Active(), "stop-1"));
        Assert.Equal(InstanceStatus.Stopped, stopped.Then(InstanceDecisions.Evacuate(stopped, "w3")).State);
    }

    [Fact]
    public void FailForHost_PutsTheVmInErrorWithTheReason_Once()
    {
        var failed = Active().Then(InstanceDecisions.FailForHost(Active(), "host w1 failed and no other host has room"));

        Assert.Equal((InstanceStatus.Error, "host w1 failed and no other host has room"), (failed.State, failed.Reason));
        Assert.Empty(InstanceDecisions.FailForHost(failed, "again").Events);
    }
}
