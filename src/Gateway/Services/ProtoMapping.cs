using Edge.Actors.Abstractions;
using Edge.Actors.Gateway.Protos;
using Google.Protobuf.WellKnownTypes;
using D = Edge.Actors.Abstractions;
using P = Edge.Actors.Gateway.Protos;

namespace Edge.Actors.Gateway.Services;

/// <summary>Between the domain's views and enums and the API's messages.</summary>
internal static class ProtoMapping
{
    public static P.Resources ToProto(this D.Resources r) => new() { MilliCpu = r.MilliCpu, MemoryMib = r.MemoryMiB, DiskGib = r.DiskGiB };

    public static Site ToProto(this SiteView v) => new()
    {
        SiteId = v.SiteId,
        Description = v.Description,
        Location = v.Location,
        Management = v.Management == D.SiteManagement.Managed ? P.SiteManagement.Managed : P.SiteManagement.Unmanaged,
        Availability = v.Availability == D.SiteAvailability.Online ? P.SiteAvailability.Online : P.SiteAvailability.Offline,
        Hosts = v.Hosts,
        Instances = v.Instances,
        Pods = v.Pods,
        Pools = v.Pools,
        Version = v.Version,
    };

    public static P.Host ToProto(this HostView v, SiteHostView? ledger)
    {
        var host = new P.Host
        {
            SiteId = v.Site,
            Name = v.Name,
            Personality = v.Personality.ToProto(),
            Administrative = v.Administrative == D.AdministrativeState.Locked ? P.AdministrativeState.Locked : P.AdministrativeState.Unlocked,
            Operational = v.Operational == D.OperationalState.Enabled ? P.OperationalState.Enabled : P.OperationalState.Disabled,
            Availability = (P.Availability)((int)v.Availability + 1),
            Capacity = v.Capacity.ToProto(),
            Allocated = (ledger?.Allocated ?? D.Resources.None).ToProto(),
            Version = v.Version,
        };
        host.Workloads.AddRange(ledger?.Workloads ?? []);
        return host;
    }

    public static P.HostPersonality ToProto(this D.HostPersonality p) => (P.HostPersonality)((int)p + 1);

    public static D.HostPersonality? ToDomain(this P.HostPersonality p) =>
        p is P.HostPersonality.Controller or P.HostPersonality.Worker or P.HostPersonality.Storage ? (D.HostPersonality)((int)p - 1) : null;

    public static D.HostAvailability? ToDomain(this P.Availability a) =>
        a is > P.Availability.Unspecified and <= P.Availability.PowerOff ? (D.HostAvailability)((int)a - 1) : null;

    public static Instance ToProto(this InstanceView v)
    {
        var instance = new Instance
        {
            SiteId = v.Site,
            Name = v.Name,
            Flavor = new P.Flavor { Name = v.Flavor.Name, Vcpus = v.Flavor.VCpus, MemoryMib = v.Flavor.MemoryMiB, DiskGib = v.Flavor.DiskGiB },
            Image = v.Image,
            Host = v.Host,
            State = (P.InstanceState)((int)v.State + 1),
            Reason = v.Reason ?? string.Empty,
            Version = v.Version,
        };
        if (v.Group is { } group)
        {
            instance.Group = new P.ServerGroup { Name = group.Name, Policy = group.Policy == D.ServerGroupPolicy.Affinity ? P.ServerGroupPolicy.Affinity : P.ServerGroupPolicy.AntiAffinity };
        }

        return instance;
    }

    public static D.InstanceStatus? ToDomain(this P.InstanceState s) =>
        s is > P.InstanceState.Unspecified and <= P.InstanceState.Deleted ? (D.InstanceStatus)((int)s - 1) : null;

    public static D.ServerGroupPolicy? ToDomain(this P.ServerGroupPolicy p) => p switch
    {
        P.ServerGroupPolicy.Affinity => D.ServerGroupPolicy.Affinity,
        P.ServerGroupPolicy.AntiAffinity => D.ServerGroupPolicy.AntiAffinity,
        _ => null,
    };

    public static Pod ToProto(this PodView v) => new()
    {
        SiteId = v.Site,
        Namespace = v.Namespace,
        Name = v.Name,
        Requests = v.Requests.ToProto(),
        Owner = v.Owner ?? string.Empty,
        Node = v.Node,
        Phase = (P.PodPhase)((int)v.Phase + 1),
        Reason = v.Reason ?? string.Empty,
        Version = v.Version,
    };

    public static Pool ToProto(this PoolView v)
    {
        var pool = new Pool
        {
            SiteId = v.Site,
            Name = v.Name,
            Size = v.Size,
            MinSize = v.MinSize,
            CapacityGib = v.CapacityGiB,
            UsedGib = v.UsedGiB,
            Health = (P.PoolHealth)((int)v.Health + 1),
            Version = v.Version,
        };
        pool.Osds.AddRange(v.Osds.Select(o => new P.Osd { Host = o.Host, CapacityGib = o.CapacityGiB, Up = o.Up }));
        pool.Volumes.AddRange(v.Volumes.Select(x => new P.Volume { Name = x.Name, SizeGib = x.SizeGiB, AttachedTo = x.AttachedTo ?? string.Empty }));
        return pool;
    }

    public static P.Device ToProto(this DeviceView v)
    {
        var device = new P.Device
        {
            SiteId = v.Site,
            Name = v.Name,
            Service = v.Service,
            Profile = v.Profile,
            OfflineWindowSeconds = v.OfflineWindowSeconds,
            Online = v.Online,
            LastSeen = v.LastSeen is { } seen ? Timestamp.FromDateTimeOffset(seen) : null,
            Version = v.Version,
        };
        device.Rules.AddRange(v.Rules.Select(r => r.ToProto()));
        device.Readings.AddRange(v.Readings.Select(r =>
        {
            var reading = new P.DeviceReading { Resource = r.Resource, ValueType = r.ValueType, Value = r.Value, Units = r.Units, Time = Timestamp.FromDateTimeOffset(r.Time) };
            if (r.Number is { } number)
            {
                reading.Number = number;
            }

            return reading;
        }));
        device.Crossings.AddRange(v.Crossings.Select(c => new P.ThresholdCrossing { Resource = c.Resource, Direction = c.Direction.ToProto(), Value = c.Value, Since = Timestamp.FromDateTimeOffset(c.Since) }));
        return device;
    }

    public static P.ThresholdRule ToProto(this D.ThresholdRule r) => new()
    {
        Resource = r.Resource,
        Direction = r.Direction.ToProto(),
        Limit = r.Limit,
        Hysteresis = r.Hysteresis,
        Severity = r.Severity.ToProto(),
    };

    public static P.ThresholdDirection ToProto(this D.ThresholdDirection d) => d == D.ThresholdDirection.Above ? P.ThresholdDirection.Above : P.ThresholdDirection.Below;

    public static D.ThresholdDirection? ToDomain(this P.ThresholdDirection d) => d switch
    {
        P.ThresholdDirection.Above => D.ThresholdDirection.Above,
        P.ThresholdDirection.Below => D.ThresholdDirection.Below,
        _ => null,
    };

    public static P.Alarm ToProto(this D.Alarm a) => new()
    {
        SiteId = a.SiteId,
        AlarmId = a.AlarmId,
        EntityInstanceId = a.EntityInstanceId,
        Severity = a.Severity.ToProto(),
        Reason = a.Reason,
        ProposedRepairAction = a.ProposedRepairAction,
        ServiceAffecting = a.ServiceAffecting,
        RaisedAt = Timestamp.FromDateTimeOffset(a.RaisedAt),
        Suppressed = a.Suppressed,
    };

    public static P.AlarmSeverity ToProto(this D.AlarmSeverity s) => (P.AlarmSeverity)((int)s + 1);

    public static D.AlarmSeverity? ToDomain(this P.AlarmSeverity s) =>
        s is > P.AlarmSeverity.Unspecified and <= P.AlarmSeverity.Warning ? (D.AlarmSeverity)((int)s - 1) : null;

    public static P.EventLogEntry ToProto(this D.EventLogEntry e) => new()
    {
        Version = e.Version,
        Kind = (P.EventLogKind)((int)e.Kind + 1),
        Id = e.Id,
        EntityInstanceId = e.EntityInstanceId,
        Severity = e.Severity.ToProto(),
        Reason = e.Reason,
        Time = Timestamp.FromDateTimeOffset(e.Time),
    };

    /// <summary>Each site's counts, in site order, and their totals.</summary>
    public static P.AlarmSummary ToProto(this IEnumerable<D.AlarmSummary> summaries)
    {
        var total = new P.AlarmSummary();
        foreach (var s in summaries.OrderBy(s => s.SiteId, StringComparer.Ordinal))
        {
            var site = new SiteAlarmSummary { SiteId = s.SiteId, Critical = s.Critical, Major = s.Major, Minor = s.Minor, Warning = s.Warning, Suppressed = s.Suppressed };
            site.SuppressedAlarmIds.AddRange(s.SuppressedAlarmIds);
            total.Sites.Add(site);
            total.Critical += s.Critical;
            total.Major += s.Major;
            total.Minor += s.Minor;
            total.Warning += s.Warning;
            total.Suppressed += s.Suppressed;
        }

        return total;
    }

    /// <summary>One page of <paramref name="names"/> (sorted) after the page token, and the token of the next page.</summary>
    public static (IReadOnlyList<string> Names, string NextToken) Page(IEnumerable<string> names, Protos.Page? page)
    {
        var size = Errors.Require.PageSize(page);
        var after = page?.PageToken ?? string.Empty;
        var chosen = names.Where(n => string.CompareOrdinal(n, after) > 0).Order(StringComparer.Ordinal).Take(size + 1).ToList();
        return chosen.Count > size ? (chosen[..size], chosen[size - 1]) : (chosen, string.Empty);
    }
}
