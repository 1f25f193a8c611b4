using Edge.Actors.Abstractions;
using Edge.Actors.Grains.Common;

namespace Edge.Actors.Grains.Hosts;

/// <summary>The host's rules as pure functions.</summary>
internal static class HostDecisions
{
    public const int MinMemoryMiB = 256;

    public static Decision Add(HostState state, string site, string name, AddHost command)
    {
        if (Commands.CheckRequestId(command.RequestId) is { } badRequest)
        {
            return badRequest;
        }

        if (state.HasSeen(command.RequestId))
        {
            return Decision.Nothing;
        }

        if (ResourceNames.CheckName(name, "name") is { } badName)
        {
            return badName;
        }

        if (!Enum.IsDefined(command.Personality))
        {
            return Decision.Refuse(EdgeErrorCode.InvalidArgument, "personality must be controller, worker or storage", "personality");
        }

        if (command.VCpus < 1)
        {
            return Decision.Refuse(EdgeErrorCode.InvalidArgument, "a host needs at least 1 vCPU", "vcpus");
        }

        if (command.MemoryMiB < MinMemoryMiB)
        {
            return Decision.Refuse(EdgeErrorCode.InvalidArgument, $"a host needs at least {MinMemoryMiB} MiB of memory", "memory_mib");
        }

        if (command.DiskGiB < 1)
        {
            return Decision.Refuse(EdgeErrorCode.InvalidArgument, "a host needs at least 1 GiB of disk", "disk_gib");
        }

        if (state.IsLive)
        {
            return Decision.Refuse(EdgeErrorCode.AlreadyExists, $"host {name} already exists in site {site}", "name");
        }

        return Commands.Accepted(command.RequestId, new HostAdded(site, name, command.Personality, Resources.FromVCpus(command.VCpus, command.MemoryMiB, command.DiskGiB)));
    }

    /// <summary>
    /// Checks a lock before the site drains the host; null when it may proceed (or is a repeat). Nothing is recorded
    /// here: the durable intent of a lock is the site's <c>HostDrained</c>, which a retried lock finds and finishes.
    /// </summary>
    public static Refusal? CheckLock(HostState state, LockHost command)
    {
        if (Commands.CheckRequestId(command.RequestId) is { } badRequest)
        {
            return badRequest;
        }

        if (state.HasSeen(command.RequestId))
        {
            return null;
        }

        if (!state.IsLive)
        {
            return new Refusal(EdgeErrorCode.NotFound, "host does not exist", "name");
        }

        return state.Administrative == AdministrativeState.Locked
            ? new Refusal(EdgeErrorCode.FailedPrecondition, $"host {state.Name} is already locked")
            : null;
    }

    /// <summary>Records the lock once the host's workloads are elsewhere: locked, disabled, online.</summary>
    public static Decision CompleteLock(HostState state, string requestId, bool force) =>
        state.HasSeen(requestId) || !state.IsLive || state.Administrative == AdministrativeState.Locked
            ? Decision.Nothing
            : Commands.Accepted(
                requestId,
                new HostLocked(force),
                new HostOperationalStateChanged(OperationalState.Disabled),
                new HostAvailabilityChanged(HostAvailability.Online));

    /// <summary>
    /// Unlocks: the host goes through in-test to available and enabled. Until host agents report pulses, the
    /// test passes at once; with pulses, availability follows them.
    /// </summary>
    public static Decision Unlock(HostState state, string requestId)
    {
        if (Commands.CheckRequestId(requestId) is { } badRequest)
        {
            return badRequest;
        }

        if (state.HasSeen(requestId))
        {
            return Decision.Nothing;
        }

        if (NotFound(state) is { } missing)
        {
            return missing;
        }

        if (state.Administrative == AdministrativeState.Unlocked)
        {
            return Decision.Refuse(EdgeErrorCode.FailedPrecondition, $"host {state.Name} is already unlocked");
        }

        return Commands.Accepted(
            requestId,
            new HostUnlocked(),
            new HostAvailabilityChanged(HostAvailability.InTest),
            new HostOperationalStateChanged(OperationalState.Enabled),
            new HostAvailabilityChanged(HostAvailability.Available));
    }

    public static Decision CheckDelete(HostState state, string requestId)
    {
        if (Commands.CheckRequestId(requestId) is { } badRequest)
        {
            return badRequest;
        }

        if (state.HasSeen(requestId))
        {
            return Decision.Nothing;
        }

        if (NotFound(state) is { } missing)
        {
            return missing;
        }

        return state.Administrative != AdministrativeState.Locked
            ? Decision.Refuse(EdgeErrorCode.FailedPrecondition, $"host {state.Name} must be locked before it is deleted")
            : Commands.Accepted(requestId, new HostDeleted());
    }

    /// <summary>Pulses are being missed: an unlocked, available host is degraded (it keeps serving, takes nothing new).</summary>
    public static Decision Degrade(HostState state) =>
        InService(state) && state.Availability is HostAvailability.Available or HostAvailability.InTest
            ? Decision.Accept(new HostAvailabilityChanged(HostAvailability.Degraded))
            : Decision.Nothing;

    /// <summary>
    /// The host stopped answering: an unlocked host is failed and disabled, with its evacuation pending. A locked host
    /// is out of service already and holds no workloads, so its silence changes nothing.
    /// </summary>
    public static Decision Fail(HostState state, string reason) =>
        InService(state) && state.Availability != HostAvailability.Failed ? Decision.Accept(new HostFailed(reason)) : Decision.Nothing;

    /// <summary>
    /// Pulses returned: a degraded host is available again; a failed one, once its evacuation is finished, passes
    /// through in-test, is enabled, and is available.
    /// </summary>
    public static Decision Recover(HostState state) =>
        !InService(state) || state.EvacuationPending
            ? Decision.Nothing
            : state.Availability switch
            {
                HostAvailability.Degraded => Decision.Accept(new HostAvailabilityChanged(HostAvailability.Available)),
                HostAvailability.Failed => Decision.Accept(
                    new HostAvailabilityChanged(HostAvailability.InTest),
                    new HostOperationalStateChanged(OperationalState.Enabled),
                    new HostAvailabilityChanged(HostAvailability.Available)),
                _ => Decision.Nothing,
            };

    /// <summary>Every workload of the failed host is rebuilt elsewhere or marked failed.</summary>
    public static Decision CompleteEvacuation(HostState state, int rebuilt, int failed) =>
        state.EvacuationPending ? Decision.Accept(new HostEvacuated(rebuilt, failed)) : Decision.Nothing;

    private static bool InService(HostState state) => state.IsLive && state.Administrative == AdministrativeState.Unlocked;

    private static Refusal? NotFound(HostState state) =>
        state.IsLive ? null : new Refusal(EdgeErrorCode.NotFound, "host does not exist", "name");
}
