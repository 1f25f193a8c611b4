using Edge.Actors.Abstractions;
using Edge.Actors.Grains.Hosts;

namespace Edge.Actors.Grains.Tests.Domain;

public sealed class HostDecisionsTests
{
    private static readonly AddHost Worker = new("a1", HostPersonality.Worker, 8, 16384, 200);

    private static HostState Added() => new HostState().Then(HostDecisions.Add(new HostState(), "s1", "worker-0", Worker));

    private static HostState Unlocked() => Added().Then(HostDecisions.Unlock(Added(), "u1"));

    [Fact]
    public void Add_NewHost_StartsLockedDisabledOnline()
    {
        var host = Added();

        Assert.Equal(AdministrativeState.Locked, host.Administrative);
        Assert.Equal(OperationalState.Disabled, host.Operational);
        Assert.Equal(HostAvailability.Online, host.Availability);
        Assert.Equal(Resources.FromVCpus(8, 16384, 200), host.Capacity);
        Assert.False(host.Schedulable);
    }

    [Theory]
    [InlineData(0, 16384, 200, "vcpus")]
    [InlineData(8, 100, 200, "memory_mib")]
    [InlineData(8, 16384, 0, "disk_gib")]
    public void Add_BadCapacity_IsRefusedNamingTheField(int vcpus, long memory, long disk, string field)
    {
        var refusal = HostDecisions.Add(new HostState(), "s1", "worker-0", Worker with { VCpus = vcpus, MemoryMiB = memory, DiskGiB = disk }).Refused(EdgeErrorCode.InvalidArgument);

        Assert.Equal(field, refusal.Field);
    }

    [Fact]
    public void Add_BadPersonality_IsRefused()
    {
        Assert.Equal("personality", HostDecisions.Add(new HostState(), "s1", "h", Worker with { Personality = (HostPersonality)42 }).Refused(EdgeErrorCode.InvalidArgument).Field);
    }

    [Fact]
    public void Add_ExistingHost_IsRefusedUnlessTheRequestRepeats()
    {
        var host = Added();

        Assert.Empty(HostDecisions.Add(host, "s1", "worker-0", Worker).Events);
        HostDecisions.Add(host, "s1", "worker-0", Worker with { RequestId = "a2" }).Refused(EdgeErrorCode.AlreadyExists);
    }

    [Fact]
    public void Unlock_GoesThroughInTestToAvailableAndEnabled()
    {
        var decision = HostDecisions.Unlock(Added(), "u1");

        Assert.Equal(
            [HostAvailability.InTest, HostAvailability.Available],
            decision.Events.OfType<HostAvailabilityChanged>().Select(e => e.Availability));
        var host = Added().Then(decision);
        Assert.Equal(AdministrativeState.Unlocked, host.Administrative);
        Assert.Equal(OperationalState.Enabled, host.Operational);
        Assert.True(host.Schedulable);
    }

    [Fact]
    public void Unlock_AlreadyUnlocked_IsRefused()
    {
        HostDecisions.Unlock(Unlocked(), "u2").Refused(EdgeErrorCode.FailedPrecondition);
    }

    [Fact]
    public void Lock_OfAnUnlockedHost_MayProceed_AndCompletesLockedDisabledOnline()
    {
        var host = Unlocked();
        Assert.Null(HostDecisions.CheckLock(host, new LockHost("l1")));

        host.Then(HostDecisions.CompleteLock(host, "l1", force: false));

        Assert.Equal(AdministrativeState.Locked, host.Administrative);
        Assert.Equal(OperationalState.Disabled, host.Operational);
        Assert.False(host.Schedulable);
        Assert.Null(HostDecisions.CheckLock(host, new LockHost("l1")));
        Assert.Empty(HostDecisions.CompleteLock(host, "l1", force: false).Events);
    }

    [Fact]
    public void Lock_AlreadyLocked_IsRefused()
    {
        Assert.Equal(EdgeErrorCode.FailedPrecondition, HostDecisions.CheckLock(Added(), new LockHost("l1"))?.Code);
    }

    [Fact]
    public void Lock_UnknownHost_IsNotFound()
    {
        Assert.Equal(EdgeErrorCode.NotFound, HostDecisions.CheckLock(new HostState(), new LockHost("l1"))?.Code);
    }

    [Fact]
    public void Delete_OnlyWhenLocked()
    {
        Assert.Contains("must be locked", HostDecisions.CheckDelete(Unlocked(), "d1").Refused(EdgeErrorCode.FailedPrecondition).Message, StringComparison.Ordinal);

        var host = Added().Then(HostDecisions.CheckDelete(Added(), "d1"));

        Assert.True(host.Deleted);
        HostDecisions.CheckDelete(host, "d2").Refused(EdgeErrorCode.NotFound);
    }

    [Fact]
    public void Degrade_OfAnAvailableHost_RecordsDegraded_AndOfALockedHostNothing()
    {
        var degraded = Unlocked().Then(HostDecisions.Degrade(Unlocked()));

        Assert.Equal(HostAvailability.Degraded, degraded.Availability);
        Assert.False(degraded.Schedulable);
        Assert.True(degraded.Up);
        Assert.Empty(HostDecisions.Degrade(degraded).Events);
        Assert.Empty(HostDecisions.Degrade(Added()).Events);
    }

    [Fact]
    public void Fail_RecordsFailedDisabledWithEvacuationPending_Once()
    {
        var failed = Unlocked().Then(HostDecisions.Fail(Unlocked(), "10 pulses missed"));

        Assert.Equal((HostAvailability.Failed, OperationalState.Disabled, true), (failed.Availability, failed.Operational, failed.EvacuationPending));
        Assert.False(failed.Up);
        Assert.Empty(HostDecisions.Fail(failed, "again").Events);
        Assert.Empty(HostDecisions.Fail(Added(), "locked hosts are out of service").Events);
    }

    [Fact]
    public void Recover_OfAFailedHost_WaitsForItsEvacuation_ThenGoesThroughInTestToAvailable()
    {
        var failed = Unlocked().Then(HostDecisions.Fail(Unlocked(), "10 pulses missed"));
        Assert.Empty(HostDecisions.Recover(failed).Events);

        var evacuated = failed.Then(HostDecisions.CompleteEvacuation(failed, rebuilt: 3, failed: 1));
        var recovery = HostDecisions.Recover(evacuated);

        Assert.Equal(
            [HostAvailability.InTest, HostAvailability.Available],
            recovery.Events.OfType<HostAvailabilityChanged>().Select(e => e.Availability));
        var recovered = evacuated.Then(recovery);
        Assert.True(recovered.Schedulable);
        Assert.Empty(HostDecisions.Recover(recovered).Events);
        Assert.Empty(HostDecisions.CompleteEvacuation(recovered, 0, 0).Events);
    }

    [Fact]
    public void Recover_OfADegradedHost_MakesItAvailable()
    {
        var degraded = Unlocked().Then(HostDecisions.Degrade(Unlocked()));

        var recovered = degraded.Then(HostDecisions.Recover(degraded));

        Assert.Equal(HostAvailability.Available, recovered.Availability);
        Assert.True(recovered.Schedulable);
    }
}
