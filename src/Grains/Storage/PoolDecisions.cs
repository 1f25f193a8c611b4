using Edge.Actors.Abstractions;
using Edge.Actors.Grains.Common;

namespace Edge.Actors.Grains.Storage;

/// <summary>The storage pool's rules as pure functions.</summary>
internal static class PoolDecisions
{
    public const int MaxReplicas = 3;

    /// <summary>The usual minimum size for a replication size: 1→1, 2→1, 3→2.</summary>
    public static int DefaultMinSize(int size) => size >= 3 ? 2 : 1;

    public static Decision Create(PoolState state, string site, string name, CreatePool command)
    {
        if (Begin(state, command.RequestId, mustExist: false) is { } early)
        {
            return early;
        }

        if (ResourceNames.CheckName(name, "name") is { } badName)
        {
            return badName;
        }

        if (command.Size is < 1 or > MaxReplicas)
        {
            return Decision.Refuse(EdgeErrorCode.InvalidArgument, $"replication size must be 1-{MaxReplicas}", "size");
        }

        var minSize = command.MinSize ?? DefaultMinSize(command.Size);
        if (minSize < 1 || minSize > command.Size)
        {
            return Decision.Refuse(EdgeErrorCode.InvalidArgument, $"min size must be 1-{command.Size}", "min_size");
        }

        return state.Exists
            ? Decision.Refuse(EdgeErrorCode.AlreadyExists, $"pool {name} already exists in site {site}", "name")
            : Commands.Accepted(command.RequestId, new PoolCreated(site, name, command.Size, minSize));
    }

    /// <summary>Adds an OSD on <paramref name="host"/>, as the site's ledger describes it (null: not in the site).</summary>
    public static Decision AddOsd(PoolState state, AddOsd command, SiteHostView? host, bool siteHasStorageHosts)
    {
        if (Begin(state, command.RequestId, mustExist: true) is { } early)
        {
            return early;
        }

        if (command.CapacityGiB < 1)
        {
            return Decision.Refuse(EdgeErrorCode.InvalidArgument, "an OSD needs at least 1 GiB", "capacity_gib");
        }

        if (host is null)
        {
            return Decision.Refuse(EdgeErrorCode.NotFound, $"host {command.Host} is not in site {state.Site}", "host");
        }

        var allowed = host.Personality == HostPersonality.Storage || (host.Personality == HostPersonality.Controller && !siteHasStorageHosts);
        if (!allowed)
        {
            return Decision.Refuse(EdgeErrorCode.FailedPrecondition, $"OSDs go on storage hosts (or a controller in a site without storage hosts); {command.Host} is a {host.Personality.ToString().ToLowerInvariant()}", "host");
        }

        if (state.Osds.ContainsKey(command.Host))
        {
            return Decision.Refuse(EdgeErrorCode.AlreadyExists, $"host {command.Host} already has an OSD in pool {state.Name}", "host");
        }

        var events = new List<IDomainEvent> { new RequestAccepted(command.RequestId), new OsdAdded(command.Host, command.CapacityGiB) };
        if (host.Up)
        {
            events.Add(new OsdHostStateChanged(command.Host, true));
        }

        return WithHealth(state, events);
    }

    public static Decision HostStateChanged(PoolState state, string host, bool up) =>
        state.Osds.TryGetValue(host, out var osd) && osd.Up != up
            ? WithHealth(state, [new OsdHostStateChanged(host, up)])
            : Decision.Nothing;

    public static Decision CreateVolume(PoolState state, CreateVolume command)
    {
        if (Begin(state, command.RequestId, mustExist: true) is { } early)
        {
            return early;
        }

        if (ResourceNames.CheckName(command.Volume, "volume") is { } badName)
        {
            return badName;
        }

        if (command.SizeGiB < 1)
        {
            return Decision.Refuse(EdgeErrorCode.InvalidArgument, "a volume needs at least 1 GiB", "size_gib");
        }

        if (state.Volumes.ContainsKey(command.Volume))
        {
            return Decision.Refuse(EdgeErrorCode.AlreadyExists, $"volume {command.Volume} already exists in pool {state.Name}", "volume");
        }

        var free = state.CapacityGiB - state.UsedGiB;
        return command.SizeGiB > free
            ? Decision.Refuse(EdgeErrorCode.FailedPrecondition, $"pool {state.Name} has {free} GiB free, not {command.SizeGiB}", "size_gib")
            : Commands.Accepted(command.RequestId, new VolumeCreated(command.Volume, command.SizeGiB));
    }

    public static Decision DeleteVolume(PoolState state, string requestId, string volume)
    {
        if (Begin(state, requestId, mustExist: true) is { } early)
        {
            return early;
        }

        if (!state.Volumes.TryGetValue(volume, out var known))
        {
            return Decision.Refuse(EdgeErrorCode.NotFound, $"volume {volume} is not in pool {state.Name}", "volume");
        }

        return known.AttachedTo is { } instance
            ? Decision.Refuse(EdgeErrorCode.FailedPrecondition, $"volume {volume} is attached to {instance}; detach it first", "volume")
            : Commands.Accepted(requestId, new VolumeDeleted(volume));
    }

    /// <summary>Attaches a volume to a VM of the site; <paramref name="instanceLive"/> says whether the VM exists.</summary>
    public static Decision Attach(PoolState state, string requestId, string volume, string instance, bool instanceLive)
    {
        if (Begin(state, requestId, mustExist: true) is { } early)
        {
            return early;
        }

        if (!state.Volumes.TryGetValue(volume, out var known))
        {
            return Decision.Refuse(EdgeErrorCode.NotFound, $"volume {volume} is not in pool {state.Name}", "volume");
        }

        if (!instanceLive)
        {
            return Decision.Refuse(EdgeErrorCode.NotFound, $"VM {instance} does not exist in site {state.Site}", "instance");
        }

        return known.AttachedTo switch
        {
            null => Commands.Accepted(requestId, new VolumeAttached(volume, instance)),
            var current when current == instance => Decision.Nothing,
            var current => Decision.Refuse(EdgeErrorCode.FailedPrecondition, $"volume {volume} is attached to {current}", "volume"),
        };
    }

    public static Decision Detach(PoolState state, string requestId, string volume)
    {
        if (Begin(state, requestId, mustExist: true) is { } early)
        {
            return early;
        }

        if (!state.Volumes.TryGetValue(volume, out var known))
        {
            return Decision.Refuse(EdgeErrorCode.NotFound, $"volume {volume} is not in pool {state.Name}", "volume");
        }

        return known.AttachedTo is null
            ? Decision.Refuse(EdgeErrorCode.FailedPrecondition, $"volume {volume} is not attached", "volume")
            : Commands.Accepted(requestId, new VolumeDetached(volume));
    }

    /// <summary>Appends a health change when the events would change the health.</summary>
    private static Decision WithHealth(PoolState state, List<IDomainEvent> events)
    {
        var after = new PoolState { Size = state.Size, MinSize = state.MinSize, Osds = new(state.Osds, StringComparer.Ordinal) };
        events.ForEach(after.Apply);
        var health = after.ComputeHealth();
        if (health != state.Health)
        {
            events.Add(new PoolHealthChanged(health));
        }

        return Decision.Accept([.. events]);
    }

    private static Decision? Begin(PoolState state, string requestId, bool mustExist)
    {
        if (Commands.CheckRequestId(requestId) is { } badRequest)
        {
            return badRequest;
        }

        if (state.HasSeen(requestId))
        {
            return Decision.Nothing;
        }

        return mustExist && !state.Exists ? Decision.Refuse(EdgeErrorCode.NotFound, "pool does not exist", "name") : (Decision?)null;
    }
}
