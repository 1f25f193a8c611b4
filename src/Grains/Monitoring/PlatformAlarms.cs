using Edge.Actors.Abstractions;

namespace Edge.Actors.Grains.Monitoring;

/// <summary>
/// The alarms the platform raises itself, numbered as StarlingX numbers them (200.020 is the product's own: StarlingX
/// has no alarm for multi-node failure avoidance).
/// </summary>
internal static class PlatformAlarms
{
    public const string HostFailed = "200.004";
    public const string HostPulsesMissed = "200.005";
    public const string MultiNodeFailure = "200.020";
    public const string InstanceFailed = "700.001";
    public const string StorageReplicasLost = "800.001";

    public static string HostEntity(string site, string host) => $"host={site}/{host}";

    public static string InstanceEntity(string site, string name) => $"site={site}.instance={name}";

    public static string PoolEntity(string site, string pool) => $"site={site}.pool={pool}";

    public static string SiteEntity(string site) => $"site={site}";

    public static RaiseAlarm HostFailure(string site, string host, string reason) => new(
        HostFailed,
        HostEntity(site, host),
        AlarmSeverity.Critical,
        $"{host} experienced a service-affecting failure ({reason}); its workloads are being evacuated",
        "check the host's power and network; it recovers by itself when its agent pulses again",
        ServiceAffecting: true);

    public static RaiseAlarm PulsesMissed(string site, string host, string reason) => new(
        HostPulsesMissed,
        HostEntity(site, host),
        AlarmSeverity.Major,
        $"{host} is degraded: {reason}",
        "check the host's management network and its agent");

    public static RaiseAlarm MultiNode(string site, IReadOnlyList<string> hosts) => new(
        MultiNodeFailure,
        SiteEntity(site),
        AlarmSeverity.Critical,
        $"{hosts.Count} hosts lost their pulses at once ({string.Join(", ", hosts)}); treated as a network fault: degraded, not evacuated",
        "check the site's management network",
        ServiceAffecting: true);

    public static RaiseAlarm InstanceNoRoom(string site, string name, string host, string reason) => new(
        InstanceFailed,
        InstanceEntity(site, name),
        AlarmSeverity.Critical,
        $"instance {name} has failed on host {host}: {reason}",
        "free capacity on another host, then start or rebuild the instance",
        ServiceAffecting: true);

    public static RaiseAlarm ReplicasLost(string site, string pool, PoolHealth health) => new(
        StorageReplicasLost,
        PoolEntity(site, pool),
        health == PoolHealth.Err ? AlarmSeverity.Critical : AlarmSeverity.Major,
        $"possible data loss: storage hosts of pool {pool} are unavailable ({health})",
        "bring the pool's storage hosts back; replication recovers when they return");
}
