using System.CommandLine;
using System.Globalization;
using Edge.Actors.Gateway.Protos;

namespace Edge.Actors.Cli.Commands;

/// <summary><c>edgectl device list|show|provision|rules|delete</c>.</summary>
internal static class DeviceCommands
{
    public const string RuleSyntax = "RESOURCE:above|below:LIMIT[:HYSTERESIS[:SEVERITY]]";

    public static Command Create(GlobalOptions globals) => new("device", "EdgeX devices of a site: provision them with threshold rules, see their last readings, crossings and whether they are online")
    {
        List(globals),
        Show(globals),
        Provision(globals),
        Rules(globals),
        Delete(globals),
    };

    private static DeviceService.DeviceServiceClient Client(Session session) => new(session.Channel);

    private static Argument<string> Device() => CommandKit.Name("device", "The device's name");

    private static Option<string[]> RuleOption() => new("--rule")
    {
        Description = $"A threshold rule, {RuleSyntax} (hysteresis default 0, severity default major), e.g. temperature:above:80:2:critical (repeat for more)",
        Arity = ArgumentArity.OneOrMore,
    };

    private static void ShowDevice(Session session, Device device) => session.Output.Show(device, () => Tables.DeviceDetails(device));

    private static Command List(GlobalOptions globals)
    {
        var site = CommandKit.Site();
        var command = new Command("list", "List a site's devices") { site };
        command.SetCall(globals, async (parse, session, cancellationToken) =>
        {
            var devices = await CommandKit.AllPagesAsync(
                page => Client(session).ListDevicesAsync(new ListDevicesRequest { SiteId = parse.GetValue(site), Page = page }, session.Unary(cancellationToken)).ResponseAsync,
                r => r.Devices,
                r => r.NextPageToken);
            session.Output.Show(devices, () => Tables.Devices(devices.Devices));
        });
        return command;
    }

    private static Command Show(GlobalOptions globals)
    {
        var site = CommandKit.Site();
        var device = Device();
        var command = new Command("show", "Show a device with its rules, last readings and active crossings") { site, device };
        command.SetCall(globals, async (parse, session, cancellationToken) =>
            ShowDevice(session, await Client(session).GetDeviceAsync(new GetDeviceRequest { SiteId = parse.GetValue(site), Name = parse.GetValue(device) }, session.Unary(cancellationToken))));
        return command;
    }

    private static Command Provision(GlobalOptions globals)
    {
        var site = CommandKit.Site();
        var device = Device();
        var service = CommandKit.Required<string>("--service", "Its EdgeX device service");
        var profile = CommandKit.Required<string>("--profile", "Its EdgeX device profile");
        var rules = RuleOption();
        var window = CommandKit.Optional<int>("--offline-window", "Seconds of silence after which it is offline (default 60)");
        var requestId = CommandKit.RequestId();
        var command = new Command("provision", "Provision a device; it is online once the MQTT bridge hears it") { site, device, service, profile, rules, window, requestId };
        command.SetCall(globals, async (parse, session, cancellationToken) =>
        {
            var request = new ProvisionDeviceRequest
            {
                RequestId = parse.RequestIdOf(requestId),
                SiteId = parse.GetValue(site),
                Name = parse.GetValue(device),
                Service = parse.GetValue(service),
                Profile = parse.GetValue(profile),
                OfflineWindowSeconds = parse.GetValue(window),
            };
            request.Rules.AddRange(ParseRules(parse.GetValue(rules)));
            ShowDevice(session, await Client(session).ProvisionDeviceAsync(request, session.Unary(cancellationToken)));
        });
        return command;
    }

    private static Command Rules(GlobalOptions globals)
    {
        var site = CommandKit.Site();
        var device = Device();
        var rules = RuleOption();
        var requestId = CommandKit.RequestId();
        var command = new Command("rules", "Replace a device's threshold rules (no --rule removes them all)") { site, device, rules, requestId };
        command.SetCall(globals, async (parse, session, cancellationToken) =>
        {
            var request = new UpdateDeviceRulesRequest { RequestId = parse.RequestIdOf(requestId), SiteId = parse.GetValue(site), Name = parse.GetValue(device) };
            request.Rules.AddRange(ParseRules(parse.GetValue(rules)));
            ShowDevice(session, await Client(session).UpdateDeviceRulesAsync(request, session.Unary(cancellationToken)));
        });
        return command;
    }

    private static Command Delete(GlobalOptions globals)
    {
        var site = CommandKit.Site();
        var device = Device();
        var requestId = CommandKit.RequestId();
        var command = new Command("delete", "Delete a device and clear its alarms") { site, device, requestId };
        command.SetCall(globals, async (parse, session, cancellationToken) =>
            ShowDevice(session, await Client(session).DeleteDeviceAsync(
                new DeviceCommandRequest { RequestId = parse.RequestIdOf(requestId), SiteId = parse.GetValue(site), Name = parse.GetValue(device) },
                session.Unary(cancellationToken))));
        return command;
    }

    /// <summary>Parses <see cref="RuleSyntax"/>; a malformed rule is a usage error naming it.</summary>
    public static IEnumerable<ThresholdRule> ParseRules(IEnumerable<string>? texts) => (texts ?? []).Select(ParseRule).ToList();

    public static ThresholdRule ParseRule(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(':');
        if (parts.Length is < 3 or > 5 || parts[0].Length == 0)
        {
            throw new UsageException($"--rule '{text}' must be {RuleSyntax}");
        }

        var direction = Names.Parse<ThresholdDirection>(parts[1]);
        if (direction == ThresholdDirection.Unspecified)
        {
            throw new UsageException($"--rule '{text}': direction must be above or below");
        }

        var severity = parts.Length == 5 ? Names.Parse<AlarmSeverity>(parts[4]) : AlarmSeverity.Major;
        if (severity == AlarmSeverity.Unspecified)
        {
            throw new UsageException($"--rule '{text}': severity must be one of {string.Join(", ", Names.All<AlarmSeverity>())}");
        }

        return new ThresholdRule
        {
            Resource = parts[0],
            Direction = direction,
            Limit = Number(parts[2], text, "limit"),
            Hysteresis = parts.Length >= 4 && parts[3].Length > 0 ? Number(parts[3], text, "hysteresis") : 0,
            Severity = severity,
        };
    }

    private static double Number(string part, string text, string what) =>
        double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new UsageException($"--rule '{text}': {what} '{part}' is not a number");
}
