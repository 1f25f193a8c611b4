// Edge.Actors.Mqtt owns the MQTT bridge: EdgeX device events in, platform events out.
using System.Diagnostics.CodeAnalysis;
using System.Text;
using Edge.Actors.Abstractions;

namespace Edge.Actors.Mqtt;

/// <summary>
/// Every MQTT topic the product subscribes to or publishes on. Southbound: EdgeX device events and host heartbeats.
/// Northbound, under <c>edge/&lt;site&gt;/…</c>: alarms, host, site and device state, the event stream and the
/// dead-letter topic. A topic built here never holds a wildcard (<c>+</c>, <c>#</c>), an empty level or NUL: site and
/// host names must be valid resource names, and free-form names (EdgeX device names, alarm entities) are
/// percent-encoded (see <see cref="EncodeSegment"/>).
/// </summary>
public static class Topics
{
    private const string EdgeXPrefix = "edgex/events/device/";
    private const string EdgePrefix = "edge/";

    /// <summary>The subscription filter for every EdgeX device event, EdgeX 2 and 3 alike.</summary>
    public const string EdgeXSubscription = "edgex/events/device/#";

    /// <summary>The subscription filter for host heartbeats of every site.</summary>
    public const string HeartbeatSubscription = "edge/+/hosts/+/heartbeat";

    /// <summary>
    /// Where an EdgeX event came from, as its topic names it. <see cref="Service"/> is null for an EdgeX 2 topic,
    /// which has no device-service level.
    /// </summary>
    public sealed record EdgeXTopic(string? Service, string Profile, string Device, string Source);

    /// <summary>
    /// Parses an EdgeX 3 topic <c>edgex/events/device/&lt;service&gt;/&lt;profile&gt;/&lt;device&gt;/&lt;source&gt;</c>
    /// or an EdgeX 2 topic <c>edgex/events/device/&lt;profile&gt;/&lt;device&gt;/&lt;source&gt;</c>. Levels are
    /// percent-decoded, because EdgeX services with <c>EnableNameFieldEscape</c> URL-escape names in topics.
    /// </summary>
    public static bool TryParseEdgeX(string? topic, [NotNullWhen(true)] out EdgeXTopic? parsed, [NotNullWhen(false)] out string? reason)
    {
        parsed = null;
        if (string.IsNullOrEmpty(topic))
        {
            reason = "the topic is empty";
            return false;
        }
        if (!topic.StartsWith(EdgeXPrefix, StringComparison.Ordinal))
        {
            reason = $"'{topic}' is not under {EdgeXPrefix}";
            return false;
        }
        var levels = topic[EdgeXPrefix.Length..].Split('/');
        if (levels.Length is not (3 or 4))
        {
            reason = $"'{topic}' has {levels.Length} levels after {EdgeXPrefix}; expected <service>/<profile>/<device>/<source> (EdgeX 3) or <profile>/<device>/<source> (EdgeX 2)";
            return false;
        }
        string[] names = ["service", "profile", "device", "source"];
        var offset = 4 - levels.Length;
        var decoded = new string[levels.Length];
        for (var i = 0; i < levels.Length; i++)
        {
            var level = levels[i];
            if (level.Length == 0 || level.AsSpan().IndexOfAny("+#\0") >= 0)
            {
                reason = $"'{topic}': the {names[i + offset]} level is empty or holds a wildcard or NUL";
                return false;
            }
            decoded[i] = level.Contains('%', StringComparison.Ordinal) ? Uri.UnescapeDataString(level) : level;
        }
        parsed = levels.Length == 4
            ? new EdgeXTopic(decoded[0], decoded[1], decoded[2], decoded[3])
            : new EdgeXTopic(null, decoded[0], decoded[1], decoded[2]);
        reason = null;
        return true;
    }

    /// <summary>
    /// The EdgeX topic a device service publishes <paramref name="device"/>'s events on (EdgeX 3, or EdgeX 2 when
    /// <paramref name="service"/> is null): for simulators and tests. Names are escaped as EdgeX escapes them.
    /// </summary>
    public static string EdgeX(string? service, string profile, string device, string source) =>
        service is null
            ? $"{EdgeXPrefix}{EncodeSegment(profile)}/{EncodeSegment(device)}/{EncodeSegment(source)}"
            : $"{EdgeXPrefix}{EncodeSegment(service)}/{EncodeSegment(profile)}/{EncodeSegment(device)}/{EncodeSegment(source)}";

    /// <summary>A host agent's heartbeat topic: <c>edge/&lt;site&gt;/hosts/&lt;host&gt;/heartbeat</c>.</summary>
    public static string Heartbeat(string site, string host) => $"{EdgePrefix}{Name(site, nameof(site))}/hosts/{Name(host, nameof(host))}/heartbeat";

    /// <summary>Parses a heartbeat topic; the site and host must be valid resource names.</summary>
    public static bool TryParseHeartbeat(string? topic, [NotNullWhen(true)] out string? site, [NotNullWhen(true)] out string? host)
    {
        site = host = null;
        var levels = topic?.Split('/');
        if (levels is not ["edge", var s, "hosts", var h, "heartbeat"] || !ResourceNames.IsValidName(s) || !ResourceNames.IsValidName(h))
        {
            return false;
        }
        (site, host) = (s, h);
        return true;
    }

    /// <summary>
    /// An alarm's retained current state: <c>edge/&lt;site&gt;/alarms/&lt;alarm id&gt;/&lt;entity&gt;</c>, the entity
    /// (such as <c>host=s-042/worker-3</c>) percent-encoded into one level.
    /// </summary>
    public static string Alarm(string site, string alarmId, string entityInstanceId)
    {
        if (AlarmRules.CheckId(alarmId) is { } refusal)
        {
            throw new ArgumentException(refusal.Message, nameof(alarmId));
        }
        return $"{SitePrefix(site)}/alarms/{alarmId}/{EncodeSegment(entityInstanceId)}";
    }

    /// <summary>A host's retained state: <c>edge/&lt;site&gt;/hosts/&lt;host&gt;/state</c>.</summary>
    public static string HostState(string site, string host) => $"{SitePrefix(site)}/hosts/{Name(host, nameof(host))}/state";

    /// <summary>The site's retained state: <c>edge/&lt;site&gt;/site/state</c>.</summary>
    public static string SiteState(string site) => $"{SitePrefix(site)}/site/state";

    /// <summary>A device's retained state: <c>edge/&lt;site&gt;/devices/&lt;device&gt;/state</c>, the EdgeX device name percent-encoded.</summary>
    public static string DeviceState(string site, string device) => $"{SitePrefix(site)}/devices/{EncodeSegment(device)}/state";

    /// <summary>The stream of every platform event of a site: <c>edge/&lt;site&gt;/events</c> (not retained).</summary>
    public static string Events(string site) => $"{SitePrefix(site)}/events";

    /// <summary>Where malformed or refused southbound messages go: <c>edge/&lt;site&gt;/dead-letter</c>.</summary>
    public static string DeadLetter(string site) => $"{SitePrefix(site)}/dead-letter";

    /// <summary>
    /// Makes any non-empty name one safe topic level: every UTF-8 byte outside <c>A–Z a–z 0–9 - . _ ~ =</c> becomes
    /// <c>%XX</c> (so <c>/</c>, <c>+</c>, <c>#</c>, NUL and <c>%</c> itself never appear raw). Product names (lower-case
    /// letters, digits, dashes) come out unchanged; <see cref="DecodeSegment"/> reverses it.
    /// </summary>
    public static string EncodeSegment(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!name.AsSpan().ContainsAnyExcept(SafeChars))
        {
            return name;
        }
        var bytes = Encoding.UTF8.GetBytes(name);
        var sb = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
        {
            if (b < 0x80 && SafeChars.Contains((char)b))
            {
                sb.Append((char)b);
            }
            else
            {
                sb.Append('%').Append(HexDigits[b >> 4]).Append(HexDigits[b & 0xF]);
            }
        }
        return sb.ToString();
    }

    /// <summary>Reverses <see cref="EncodeSegment"/>.</summary>
    public static string DecodeSegment(string segment) => Uri.UnescapeDataString(segment);

    private const string HexDigits = "0123456789ABCDEF";

    private static readonly System.Buffers.SearchValues<char> SafeChars =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~=");

    private static string SitePrefix(string site) => EdgePrefix + Name(site, nameof(site));

    // Site and host names are the product's own (lower-case letters, digits, dashes), so they are refused, not
    // escaped: a name that needs escaping is a bug upstream.
    private static string Name(string name, string parameter) =>
        ResourceNames.IsValidName(name) ? name : throw new ArgumentException($"{parameter} must be a valid resource name; got '{name}'", parameter);
}
