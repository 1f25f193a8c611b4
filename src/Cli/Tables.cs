using System.Globalization;
using Edge.Actors.Gateway.Protos;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Edge.Actors.Cli;

/// <summary>The table view of each resource: one row per item, plain text (nothing is read as markup).</summary>
internal static class Tables
{
    public static IRenderable Sites(IEnumerable<Site> sites) => Table(
        ["SITE", "MANAGEMENT", "AVAILABILITY", "HOSTS", "VMS", "PODS", "POOLS", "LOCATION", "DESCRIPTION"],
        sites.Select(s => new[] { s.SiteId, Names.Of(s.Management), Names.Of(s.Availability), N(s.Hosts), N(s.Instances), N(s.Pods), N(s.Pools), s.Location, s.Description }));

    public static IRenderable Hosts(IEnumerable<Host> hosts, bool withWorkloads = false) => Table(
        ["HOST", "PERSONALITY", "ADMINISTRATIVE", "OPERATIONAL", "AVAILABILITY", "VCPUS", "MEMORY MIB", "DISK GIB", withWorkloads ? "WORKLOADS" : "#WORKLOADS"],
        hosts.Select(h => new[]
        {
            h.Name, Names.Of(h.Personality), Names.Of(h.Administrative), Names.Of(h.Operational), Names.Of(h.Availability),
            $"{Cpu(h.Allocated?.MilliCpu)}/{Cpu(h.Capacity?.MilliCpu)}",
            $"{N(h.Allocated?.MemoryMib ?? 0)}/{N(h.Capacity?.MemoryMib ?? 0)}",
            $"{N(h.Allocated?.DiskGib ?? 0)}/{N(h.Capacity?.DiskGib ?? 0)}",
            withWorkloads ? string.Join(", ", h.Workloads) : N(h.Workloads.Count),
        }));

    public static IRenderable Instances(IEnumerable<Instance> instances) => Table(
        ["VM", "STATE", "HOST", "FLAVOR", "VCPUS", "MEMORY MIB", "DISK GIB", "IMAGE", "GROUP", "REASON"],
        instances.Select(i => new[]
        {
            i.Name, Names.Of(i.State), i.Host, i.Flavor?.Name ?? string.Empty, N(i.Flavor?.Vcpus ?? 0), N(i.Flavor?.MemoryMib ?? 0), N(i.Flavor?.DiskGib ?? 0),
            i.Image, i.Group is { } g ? $"{g.Name} ({Names.Of(g.Policy)})" : string.Empty, i.Reason,
        }));

    public static IRenderable Pods(IEnumerable<Pod> pods) => Table(
        ["NAMESPACE", "POD", "PHASE", "NODE", "VCPUS", "MEMORY MIB", "OWNER", "REASON"],
        pods.Select(p => new[] { p.Namespace, p.Name, Names.Of(p.Phase), p.Node, Cpu(p.Requests?.MilliCpu), N(p.Requests?.MemoryMib ?? 0), p.Owner, p.Reason }));

    public static IRenderable Pools(IEnumerable<Pool> pools) => Table(
        ["POOL", "HEALTH", "SIZE", "MIN SIZE", "OSDS UP", "USED GIB", "CAPACITY GIB", "VOLUMES"],
        pools.Select(p => new[] { p.Name, Names.Of(p.Health), N(p.Size), N(p.MinSize), $"{p.Osds.Count(o => o.Up)}/{p.Osds.Count}", N(p.UsedGib), N(p.CapacityGib), N(p.Volumes.Count) }));

    /// <summary>A pool with its OSDs and volumes.</summary>
    public static IRenderable PoolDetails(Pool pool) => new Rows(
        Pools([pool]),
        Table(["OSD HOST", "UP", "CAPACITY GIB"], pool.Osds.Select(o => new[] { o.Host, o.Up ? "yes" : "no", N(o.CapacityGib) })),
        Table(["VOLUME", "SIZE GIB", "ATTACHED TO"], pool.Volumes.Select(v => new[] { v.Name, N(v.SizeGib), v.AttachedTo })));

    public static IRenderable Alarms(IEnumerable<Alarm> alarms) => Table(
        ["ALARM ID", "SEVERITY", "ENTITY", "REASON", "RAISED AT", "SERVICE AFFECTING", "SUPPRESSED"],
        alarms.Select(a => new[] { a.AlarmId, Names.Of(a.Severity), a.EntityInstanceId, a.Reason, Time(a.RaisedAt), YesNo(a.ServiceAffecting), YesNo(a.Suppressed) }));

    /// <summary>One alarm with its proposed repair action.</summary>
    public static IRenderable AlarmDetails(Alarm alarm) => new Rows(
        Alarms([alarm]),
        Table(["PROPOSED REPAIR ACTION"], [[alarm.ProposedRepairAction]]));

    /// <summary>One row per site, and a total row when there is more than one.</summary>
    public static IRenderable AlarmSummary(AlarmSummary summary)
    {
        var rows = summary.Sites.Select(s => new[] { s.SiteId, N(s.Critical), N(s.Major), N(s.Minor), N(s.Warning), N(s.Suppressed), string.Join(", ", s.SuppressedAlarmIds) }).ToList();
        if (summary.Sites.Count > 1)
        {
            rows.Add(["(total)", N(summary.Critical), N(summary.Major), N(summary.Minor), N(summary.Warning), N(summary.Suppressed), string.Empty]);
        }

        return Table(["SITE", "CRITICAL", "MAJOR", "MINOR", "WARNING", "SUPPRESSED", "SUPPRESSED IDS"], rows);
    }

    public static IRenderable EventLog(IEnumerable<EventLogEntry> entries) => Table(
        ["TIME", "STATE", "ID", "SEVERITY", "ENTITY", "REASON"],
        entries.Select(e => new[] { Time(e.Time), Names.Of(e.Kind), e.Id, Names.Of(e.Severity), e.EntityInstanceId, e.Reason }));

    public static IRenderable Devices(IEnumerable<Device> devices) => Table(
        ["DEVICE", "SERVICE", "PROFILE", "ONLINE", "LAST SEEN", "RULES", "CROSSINGS"],
        devices.Select(d => new[] { d.Name, d.Service, d.Profile, YesNo(d.Online), Time(d.LastSeen), N(d.Rules.Count), string.Join(", ", d.Crossings.Select(c => $"{c.Resource} {Names.Of(c.Direction)}")) }));

    /// <summary>A device with its rules, last readings and active crossings.</summary>
    public static IRenderable DeviceDetails(Device device) => new Rows(
        Devices([device]),
        Table(["RESOURCE", "RULE", "LIMIT", "HYSTERESIS", "SEVERITY"], device.Rules.Select(r => new[] { r.Resource, Names.Of(r.Direction), D(r.Limit), D(r.Hysteresis), Names.Of(r.Severity) })),
        Table(["RESOURCE", "VALUE", "UNITS", "TYPE", "TIME"], device.Readings.Select(r => new[] { r.Resource, r.Value, r.Units, r.ValueType, Time(r.Time) })),
        Table(["CROSSED", "RULE", "VALUE", "SINCE"], device.Crossings.Select(c => new[] { c.Resource, Names.Of(c.Direction), D(c.Value), Time(c.Since) })));

    private static Table Table(string[] headers, IEnumerable<string[]> rows)
    {
        // Borderless, like kubectl: rows stay easy to read and to cut with awk.
        var table = new Table().Border(TableBorder.None);
        foreach (var header in headers)
        {
            table.AddColumn(new TableColumn(new Text(header)).Padding(0, 0, 3, 0));
        }

        foreach (var row in rows)
        {
            table.AddRow(row.Select(cell => (IRenderable)new Text(cell)));
        }

        return table;
    }

    private static string Time(Google.Protobuf.WellKnownTypes.Timestamp? time) =>
        time?.ToDateTimeOffset().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture) ?? "-";

    private static string YesNo(bool value) => value ? "yes" : "no";

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string D(double value) => value.ToString("G", CultureInfo.InvariantCulture);

    /// <summary>Thousandths of a vCPU as vCPUs: 1500 is 1.5.</summary>
    private static string Cpu(long? milliCpu) => ((milliCpu ?? 0) / 1000m).ToString("0.###", CultureInfo.InvariantCulture);
}
