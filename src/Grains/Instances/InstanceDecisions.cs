using Edge.Actors.Abstractions;
using Edge.Actors.Grains.Common;

namespace Edge.Actors.Grains.Instances;

/// <summary>The VM's rules as pure functions. Placement itself is the site scheduler's; these record its answers.</summary>
internal static class InstanceDecisions
{
    public const int MaxVCpus = 256;
    public const int MinMemoryMiB = 64;

    /// <summary>Checks a create before the scheduler is asked; null when it may proceed.</summary>
    public static Refusal? CheckCreate(InstanceState state, string name, CreateInstance command)
    {
        if (Commands.CheckRequestId(command.RequestId) is { } badRequest)
        {
            return badRequest;
        }

        if (state.HasSeen(command.RequestId))
        {
            return null;
        }

        if (ResourceNames.CheckName(name, "name") is { } badName)
        {
            return badName;
        }

        if (command.Flavor is null)
        {
            return new Refusal(EdgeErrorCode.InvalidArgument, "a VM needs a flavor", "flavor");
        }

        if (command.Flavor.VCpus is < 1 or > MaxVCpus)
        {
            return new Refusal(EdgeErrorCode.InvalidArgument, $"flavor vcpus must be 1-{MaxVCpus}", "flavor.vcpus");
        }

        if (command.Flavor.MemoryMiB < MinMemoryMiB)
        {
            return new Refusal(EdgeErrorCode.InvalidArgument, $"flavor memory must be at least {MinMemoryMiB} MiB", "flavor.memory_mib");
        }

        if (command.Flavor.DiskGiB < 1)
        {
            return new Refusal(EdgeErrorCode.InvalidArgument, "flavor disk must be at least 1 GiB", "flavor.disk_gib");
        }

        if (string.IsNullOrWhiteSpace(command.Image))
        {
            return new Refusal(EdgeErrorCode.InvalidArgument, "a VM needs an image", "image");
        }

        return state.IsLive
            ? new Refusal(EdgeErrorCode.AlreadyExists, $"VM {name} already exists in site {state.Site}", "name")
            : null;
    }

    /// <summary>Records a create the scheduler placed on <paramref name="host"/>: one event, carrying the request id.</summary>
    public static Decision Create(InstanceState state, string site, string name, CreateInstance command, string host)
    {
        if (CheckCreate(state, name, command) is { } refusal)
        {
            return refusal;
        }

        return state.HasSeen(command.RequestId) ? Decision.Nothing : Decision.Accept(Created(site, name, command, host));
    }

    /// <summary>The event of a create already checked by <see cref="CheckCreate"/> and placed on <paramref name="host"/>.</summary>
    public static InstanceCreated Created(string site, string name, CreateInstance command, string host) =>
        new(site, name, command.Flavor, command.Image, command.Group?.Name, command.Group?.Policy ?? ServerGroupPolicy.None, host, command.RequestId);

    /// <summary>What the site's scheduler is asked to reserve for the VM <paramref name="name"/>.</summary>
    public static PlacementRequest Placement(string name, CreateInstance command) =>
        new(Workloads.Instance(name), WorkloadKind.Instance, command.Flavor.ToResources(), command.Group);

    public static Decision Delete(InstanceState state, string requestId) =>
        Check(state, requestId) ?? Commands.Accepted(requestId, new InstanceDeleted());

    public static Decision Stop(InstanceState state, string requestId) =>
        Check(state, requestId)
        ?? (state.State == InstanceStatus.Active
            ? Commands.Accepted(requestId, new InstanceStopped("stopped by request"))
            : Decision.Refuse(EdgeErrorCode.FailedPrecondition, $"VM {state.Name} is {Describe(state.State)}, not active"));

    public static Decision Start(InstanceState state, string requestId, bool hostSchedulable)
    {
        if (Check(state, requestId) is { } early)
        {
            return early;
        }

        if (state.State != InstanceStatus.Stopped)
        {
            return Decision.Refuse(EdgeErrorCode.FailedPrecondition, $"VM {state.Name} is {Describe(state.State)}, not stopped");
        }

        return hostSchedulable
            ? Commands.Accepted(requestId, new InstanceStarted())
            : Decision.Refuse(EdgeErrorCode.FailedPrecondition, $"host {state.Host} of VM {state.Name} is not unlocked, enabled and available; migrate the VM first");
    }

    /// <summary>Checks a migration before the scheduler is asked; null when it may proceed.</summary>
    public static Refusal? CheckMigrate(InstanceState state, MigrateInstance command)
    {
        if (Check(state, command.RequestId) is { } early)
        {
            return early.Refusal;
        }

        if (command.ToHost is not null && ResourceNames.CheckName(command.ToHost, "to_host") is { } badHost)
        {
            return badHost;
        }

        return state.State is InstanceStatus.Active or InstanceStatus.Stopped
            ? null
            : new Refusal(EdgeErrorCode.FailedPrecondition, $"VM {state.Name} is {Describe(state.State)}; only active or stopped VMs migrate");
    }

    /// <summary>Records a move to <paramref name="toHost"/>: a live migration when active, a cold one when stopped.</summary>
    public static Decision Migrate(InstanceState state, string? requestId, string toHost)
    {
        if (requestId is not null && state.HasSeen(requestId))
        {
            return Decision.Nothing;
        }

        if (!state.IsLive || state.Host == toHost)
        {
            return Decision.Nothing;
        }

        IDomainEvent[] events = state.State == InstanceStatus.Active
            ? [new InstanceMigrationStarted(state.Host, toHost), new InstanceMigrated(state.Host, toHost)]
            : [new InstanceMigrated(state.Host, toHost)];
        return requestId is null ? Decision.Accept(events) : Commands.Accepted(requestId, events);
    }

    /// <summary>Rebuilds the VM on the host the site chose when its own failed; a repeat (already there) records nothing.</summary>
    public static Decision Evacuate(InstanceState state, string toHost) =>
        state.IsLive && state.Host != toHost ? Decision.Accept(new InstanceEvacuated(state.Host, toHost)) : Decision.Nothing;

    /// <summary>Its host failed and no host has room for it: the VM is in error.</summary>
    public static Decision FailForHost(InstanceState state, string reason) =>
        state.IsLive && state.State != InstanceStatus.Error ? Decision.Accept(new InstanceFailed(reason)) : Decision.Nothing;

    public static Decision StopForHost(InstanceState state, string reason) =>
        state.IsLive && state.State == InstanceStatus.Active ? Decision.Accept(new InstanceStopped(reason)) : Decision.Nothing;

    /// <summary>The checks every command on an existing VM shares: a valid request id, not a repeat, the VM exists.</summary>
    private static Decision? Check(InstanceState state, string requestId)
    {
        if (Commands.CheckRequestId(requestId) is { } badRequest)
        {
            return badRequest;
        }

        if (state.HasSeen(requestId))
        {
            return Decision.Nothing;
        }

        return state.IsLive ? (Decision?)null : Decision.Refuse(EdgeErrorCode.NotFound, "VM does not exist", "name");
    }

    private static string Describe(InstanceStatus status) => status.ToString().ToLowerInvariant();
}
