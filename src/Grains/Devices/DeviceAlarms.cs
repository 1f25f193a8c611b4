using System.Globalization;
using Edge.Actors.Abstractions;

namespace Edge.Actors.Grains.Devices;

/// <summary>
/// The alarms devices raise, in the product's own 900 range (StarlingX has no device alarms): 900.001 a value past a
/// threshold rule, one per device resource; 900.002 a device silent past its offline window.
/// </summary>
internal static class DeviceAlarms
{
    public const string ThresholdCrossed = "900.001";
    public const string DeviceOffline = "900.002";

    public static string DeviceEntity(string site, string device) => $"site={site}.device={device}";

    public static string ResourceEntity(string site, string device, string resource) => $"{DeviceEntity(site, device)}.resource={resource}";

    public static RaiseAlarm Crossed(string site, string device, ThresholdRule rule, double value, string? units)
    {
        var (past, clears) = rule.Direction == ThresholdDirection.Above
            ? ("above", $"at or under {N(rule.Limit - rule.Hysteresis)}")
            : ("below", $"at or over {N(rule.Limit + rule.Hysteresis)}");
        var unit = string.IsNullOrEmpty(units) ? string.Empty : $" {units}";
        return new RaiseAlarm(
            ThresholdCrossed,
            ResourceEntity(site, device, rule.Resource),
            rule.Severity,
            $"device {device}: {rule.Resource} is {N(value)}{unit}, {past} its limit {N(rule.Limit)}{unit}",
            $"check the device and what it measures; the alarm clears when {rule.Resource} is {clears}{unit}");
    }

    public static RaiseAlarm Offline(string site, string device, DateTimeOffset lastSeen, int windowSeconds) => new(
        DeviceOffline,
        DeviceEntity(site, device),
        AlarmSeverity.Major,
        $"device {device} has not been heard for more than {windowSeconds} s (last seen {lastSeen.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)})",
        "check the device, its device service and its network; the alarm clears when it is heard again");

    private static string N(double value) => value.ToString("G", CultureInfo.InvariantCulture);
}
