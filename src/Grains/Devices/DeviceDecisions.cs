using Edge.Actors.Abstractions;
using Edge.Actors.Grains.Common;

namespace Edge.Actors.Grains.Devices;

/// <summary>A device's rules as pure functions: what a command may do, and what a value does to its threshold rules.</summary>
internal static class DeviceDecisions
{
    /// <summary>The longest resource name: its alarm entity (<c>site=….device=….resource=…</c>) must fit in an alarm's entity.</summary>
    public const int MaxResourceLength = 100;

    public static Decision Provision(DeviceState state, string site, string name, ProvisionDevice command)
    {
        if (Commands.CheckRequestId(command.RequestId) is { } badRequest)
        {
            return badRequest;
        }

        if (state.HasSeen(command.RequestId))
        {
            return Decision.Nothing;
        }

        if ((ResourceNames.CheckName(site, "site_id") ?? ResourceNames.CheckName(name, "name")) is { } badName)
        {
            return badName;
        }

        if ((CheckText(command.Service, "service") ?? CheckText(command.Profile, "profile") ?? CheckRules(command.Rules)) is { } bad)
        {
            return bad;
        }

        if (command.OfflineWindowSeconds is < DeviceRules.MinOfflineWindowSeconds or > DeviceRules.MaxOfflineWindowSeconds)
        {
            return Decision.Refuse(EdgeErrorCode.InvalidArgument, $"offline_window_seconds must be {DeviceRules.MinOfflineWindowSeconds}-{DeviceRules.MaxOfflineWindowSeconds}", "offline_window_seconds");
        }

        if (state.IsLive)
        {
            return Decision.Refuse(EdgeErrorCode.AlreadyExists, $"device {name} already exists in site {site}", "name");
        }

        return Commands.Accepted(command.RequestId, new DeviceProvisioned(site, name, command.Service, command.Profile, [.. command.Rules], command.OfflineWindowSeconds));
    }

    /// <summary>
    /// Replaces the rules. A crossing whose rule is gone is cleared; the last known values are then weighed against the
    /// new rules, so a tightened limit that a value is already past is crossed at once, and a loosened one cleared.
    /// </summary>
    public static Decision UpdateRules(DeviceState state, UpdateDeviceRules command, IReadOnlyDictionary<string, double> lastValues, DateTimeOffset now)
    {
        if (Commands.CheckRequestId(command.RequestId) is { } badRequest)
        {
            return badRequest;
        }

        if (state.HasSeen(command.RequestId))
        {
            return Decision.Nothing;
        }

        if ((NotFound(state) ?? CheckRules(command.Rules)) is { } bad)
        {
            return bad;
        }

        var rules = command.Rules.ToList();
        var events = new List<IDomainEvent> { new RequestAccepted(command.RequestId), new DeviceRulesChanged(rules) };
        var active = new List<ThresholdCrossing>();
        foreach (var crossing in state.Crossings)
        {
            if (rules.Any(r => Same(r, crossing)))
            {
                active.Add(crossing);
            }
            else
            {
                events.Add(new ThresholdCleared(crossing.Resource, crossing.Direction, lastValues.GetValueOrDefault(crossing.Resource, crossing.Value), now));
            }
        }

        events.AddRange(Evaluate(rules, active, lastValues.Select(v => (v.Key, v.Value)), now));
        return Decision.Accept([.. events]);
    }

    /// <summary>Deletes the device; its crossings are cleared with it, so their alarms go too.</summary>
    public static Decision Delete(DeviceState state, string requestId, DateTimeOffset now)
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

        return Commands.Accepted(requestId, [.. state.Crossings.Select(c => new ThresholdCleared(c.Resource, c.Direction, c.Value, now)), new DeviceDeleted()]);
    }

    /// <summary>An event was heard: online if it was not, and its numeric readings weighed against the rules, in order.</summary>
    public static Decision Ingest(DeviceState state, IEnumerable<DeviceReading> readings, DateTimeOffset now)
    {
        if (!state.IsLive)
        {
            return Decision.Nothing;
        }

        var events = new List<IDomainEvent>();
        if (!state.Online)
        {
            events.Add(new DeviceWentOnline(now));
        }

        var values = readings.Where(r => r.Number is { } n && double.IsFinite(n)).Select(r => (r.Resource, r.Number!.Value));
        events.AddRange(Evaluate(state.Rules, state.Crossings, values, now));
        return Decision.Accept([.. events]);
    }

    /// <summary>Offline once silent for longer than the offline window since it was last heard.</summary>
    public static Decision CheckSilence(DeviceState state, DateTimeOffset lastSeen, DateTimeOffset now) =>
        state.IsLive && state.Online && now - lastSeen > state.OfflineWindow
            ? Decision.Accept(new DeviceWentOffline(lastSeen, now))
            : Decision.Nothing;

    /// <summary>
    /// The crossings and clears that <paramref name="values"/> cause, taken in order: a rule not active is crossed by a
    /// value strictly past its limit; an active one is cleared by a value back past the limit by the hysteresis.
    /// </summary>
    public static IReadOnlyList<IDomainEvent> Evaluate(IReadOnlyList<ThresholdRule> rules, IEnumerable<ThresholdCrossing> active, IEnumerable<(string Resource, double Value)> values, DateTimeOffset now)
    {
        var crossed = active.Select(c => (c.Resource, c.Direction)).ToHashSet();
        var events = new List<IDomainEvent>();
        foreach (var (resource, value) in values)
        {
            // Clears before crossings: on one resource, a value leaving an Above band for a Below one clears the first alarm before raising the second.
            foreach (var rule in rules.Where(r => r.Resource == resource).OrderBy(r => crossed.Contains((r.Resource, r.Direction)) ? 0 : 1))
            {
                var key = (rule.Resource, rule.Direction);
                if (crossed.Contains(key) && Clears(rule, value))
                {
                    crossed.Remove(key);
                    events.Add(new ThresholdCleared(resource, rule.Direction, value, now));
                }
                else if (!crossed.Contains(key) && Crosses(rule, value))
                {
                    crossed.Add(key);
                    events.Add(new ThresholdCrossed(resource, rule.Direction, value, now));
                }
            }
        }

        return events;
    }

    public static bool Crosses(ThresholdRule rule, double value) =>
        rule.Direction == ThresholdDirection.Above ? value > rule.Limit : value < rule.Limit;

    public static bool Clears(ThresholdRule rule, double value) =>
        rule.Direction == ThresholdDirection.Above ? value <= rule.Limit - rule.Hysteresis : value >= rule.Limit + rule.Hysteresis;

    /// <summary>
    /// Each rule valid, at most one per resource and direction, and an Above and a Below rule on one resource apart by
    /// their hysteresis: otherwise one value could be past both, and their alarms share the resource's entity.
    /// </summary>
    public static Refusal? CheckRules(IReadOnlyList<ThresholdRule>? rules)
    {
        if (rules is null)
        {
            return Invalid("rules", "rules are required (an empty list for none)");
        }

        if (rules.Count > DeviceRules.MaxRules)
        {
            return Invalid("rules", $"a device has at most {DeviceRules.MaxRules} rules");
        }

        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            var field = $"rules[{i}]";
            if (rule is null)
            {
                return Invalid(field, $"{field} is empty");
            }

            if (CheckText(rule.Resource, $"{field}.resource", MaxResourceLength) is { } badResource)
            {
                return badResource;
            }

            if (!Enum.IsDefined(rule.Direction))
            {
                return Invalid($"{field}.direction", $"{field}.direction must be above or below");
            }

            if (!double.IsFinite(rule.Limit))
            {
                return Invalid($"{field}.limit", $"{field}.limit must be a finite number");
            }

            if (!double.IsFinite(rule.Hysteresis) || rule.Hysteresis < 0)
            {
                return Invalid($"{field}.hysteresis", $"{field}.hysteresis must be a finite number, 0 or more");
            }

            if (!Enum.IsDefined(rule.Severity))
            {
                return Invalid($"{field}.severity", $"{field}.severity must be critical, major, minor or warning");
            }

            for (var j = 0; j < i; j++)
            {
                var earlier = rules[j];
                if (earlier.Resource != rule.Resource)
                {
                    continue;
                }

                if (earlier.Direction == rule.Direction)
                {
                    return Invalid(field, $"{field} repeats rules[{j}]: one {rule.Direction.ToString().ToLowerInvariant()} rule per resource ({rule.Resource})");
                }

                var (above, below) = rule.Direction == ThresholdDirection.Above ? (rule, earlier) : (earlier, rule);
                if (below.Limit + below.Hysteresis > above.Limit - above.Hysteresis)
                {
                    return Invalid(field, $"{field} overlaps rules[{j}] on {rule.Resource}: the below limit plus its hysteresis must not exceed the above limit minus its hysteresis");
                }
            }
        }

        return null;
    }

    private static Refusal? CheckText(string? text, string field, int max = DeviceRules.MaxTextLength) =>
        string.IsNullOrWhiteSpace(text) ? Invalid(field, $"{field} is required")
        : text.Length > max ? Invalid(field, $"{field} is longer than {max} characters")
        : text.Any(char.IsControl) ? Invalid(field, $"{field} must not contain control characters")
        : null;

    private static bool Same(ThresholdRule rule, ThresholdCrossing crossing) => rule.Resource == crossing.Resource && rule.Direction == crossing.Direction;

    private static Refusal Invalid(string field, string message) => new(EdgeErrorCode.InvalidArgument, message, field);

    private static Refusal? NotFound(DeviceState state) =>
        state.IsLive ? null : new Refusal(EdgeErrorCode.NotFound, "device does not exist", "name");
}
