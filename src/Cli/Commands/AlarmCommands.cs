using System.CommandLine;
using Edge.Actors.Gateway.Protos;

namespace Edge.Actors.Cli.Commands;

/// <summary><c>edgectl alarm list|show|summary|suppress|unsuppress|raise|clear</c>.</summary>
internal static class AlarmCommands
{
    public static Command Create(GlobalOptions globals) => new("alarm", "Fault management: a site's active alarms, their suppression by alarm id, and a summary per site")
    {
        List(globals),
        Show(globals),
        Summary(globals),
        Suppression(globals, "suppress", "Hide a site's active and future alarms with this id from lists and summaries (they are kept)", suppress: true),
        Suppression(globals, "unsuppress", "Show a site's alarms with this id again", suppress: false),
        Raise(globals),
        Clear(globals),
    };

    private static AlarmService.AlarmServiceClient Client(Session session) => new(session.Channel);

    private static Argument<string> AlarmId() => CommandKit.Name("alarm-id", "The alarm id: three digits, a dot, three digits, like 200.004");

    private static Option<string> Entity(bool required) => new("--entity")
    {
        Description = required ? "The entity the alarm is about, like host=s-042/worker-3" : "Only alarms whose entity starts with this, like host=s-042/worker",
        Required = required,
    };

    private static Command List(GlobalOptions globals)
    {
        var site = CommandKit.Site();
        var severity = CommandKit.Optional<string>("--severity", "Only alarms of this severity").AcceptOnlyFromAmong(Names.All<AlarmSeverity>());
        var entity = Entity(required: false);
        var suppressed = new Option<bool>("--include-suppressed") { Description = "Also list alarms whose id is suppressed (flagged in the SUPPRESSED column)" };
        var command = new Command("list", "List a site's active alarms, by alarm id then entity") { site, severity, entity, suppressed };
        command.SetCall(globals, async (parse, session, cancellationToken) =>
        {
            var alarms = await CommandKit.AllPagesAsync(
                page => Client(session).ListAlarmsAsync(new ListAlarmsRequest
                {
                    SiteId = parse.GetValue(site),
                    Severity = Names.Parse<AlarmSeverity>(parse.GetValue(severity)),
                    EntityInstanceId = parse.GetValue(entity) ?? string.Empty,
                    IncludeSuppressed = parse.GetValue(suppressed),
                    Page = page,
                }, session.Unary(cancellationToken)).ResponseAsync,
                r => r.Alarms,
                r => r.NextPageToken);
            session.Output.Show(alarms, () => Tables.Alarms(alarms.Alarms));
        });
        return command;
    }

    private static Command Show(GlobalOptions globals)
    {
        var site = CommandKit.Site();
        var alarmId = AlarmId();
        var entity = Entity(required: true);
        var command = new Command("show", "Show one active alarm with its proposed repair action") { site, alarmId, entity };
        command.SetCall(globals, async (parse, session, cancellationToken) =>
        {
            var alarm = await Client(session).GetAlarmAsync(
                new GetAlarmRequest { SiteId = parse.GetValue(site), AlarmId = parse.GetValue(alarmId), EntityInstanceId = parse.GetValue(entity) },
                session.Unary(cancellationToken));
            session.Output.Show(alarm, () => Tables.AlarmDetails(alarm));
        });
        return command;
    }

    private static Command Summary(GlobalOptions globals)
    {
        var site = CommandKit.Optional<string>("--site", "Only this site (default: every site the token may see, with a total)");
        var command = new Command("summary", "Count the active alarms of each severity, per site; suppressed ones are counted apart") { site };
        command.SetCall(globals, async (parse, session, cancellationToken) =>
        {
            var summary = await Client(session).GetAlarmSummaryAsync(new GetAlarmSummaryRequest { SiteId = parse.GetValue(site) ?? string.Empty }, session.Unary(cancellationToken));
            session.Output.Show(summary, () => Tables.AlarmSummary(summary));
        });
        return command;
    }

    private static Command Suppression(GlobalOptions globals, string verb, string description, bool suppress)
    {
        var site = CommandKit.Site();
        var alarmId = AlarmId();
        var command = new Command(verb, $"{description} (operator)") { site, alarmId };
        command.SetCall(globals, async (parse, session, cancellationToken) =>
        {
            var request = new SuppressionRequest { SiteId = parse.GetValue(site), AlarmId = parse.GetValue(alarmId) };
            var done = suppress
                ? await Client(session).SuppressAlarmAsync(request, session.Unary(cancellationToken))
                : await Client(session).UnsuppressAlarmAsync(request, session.Unary(cancellationToken));
            session.Output.Show(done, $"alarm {done.AlarmId} is {(done.Suppressed ? "suppressed" : "not suppressed")} in site {done.SiteId}");
        });
        return command;
    }

    private static Command Raise(GlobalOptions globals)
    {
        var site = CommandKit.Site();
        var alarmId = AlarmId();
        var entity = Entity(required: true);
        var severity = CommandKit.Required<string>("--severity", "How bad the fault is").AcceptOnlyFromAmong(Names.All<AlarmSeverity>());
        var reason = CommandKit.Required<string>("--reason", "What is wrong");
        var repair = CommandKit.Optional<string>("--repair-action", "What an operator should do about it");
        var affecting = new Option<bool>("--service-affecting") { Description = "The fault affects service" };
        var command = new Command("raise", "Raise an alarm from an external monitor (operator); raising it again with the same content changes nothing") { site, alarmId, entity, severity, reason, repair, affecting };
        command.SetCall(globals, async (parse, session, cancellationToken) =>
        {
            var alarm = await Client(session).RaiseAlarmAsync(new RaiseAlarmRequest
            {
                SiteId = parse.GetValue(site),
                AlarmId = parse.GetValue(alarmId),
                EntityInstanceId = parse.GetValue(entity),
                Severity = Names.Parse<AlarmSeverity>(parse.GetValue(severity)),
                Reason = parse.GetValue(reason),
                ProposedRepairAction = parse.GetValue(repair) ?? string.Empty,
                ServiceAffecting = parse.GetValue(affecting),
            }, session.Unary(cancellationToken));
            session.Output.Show(alarm, () => Tables.AlarmDetails(alarm));
        });
        return command;
    }

    private static Command Clear(GlobalOptions globals)
    {
        var site = CommandKit.Site();
        var alarmId = AlarmId();
        var entity = Entity(required: true);
        var command = new Command("clear", "Clear an alarm (operator); clearing one that is not active changes nothing") { site, alarmId, entity };
        command.SetCall(globals, async (parse, session, cancellationToken) =>
        {
            var (id, on) = (parse.GetValue(alarmId), parse.GetValue(entity));
            var cleared = await Client(session).ClearAlarmAsync(new ClearAlarmRequest { SiteId = parse.GetValue(site), AlarmId = id, EntityInstanceId = on }, session.Unary(cancellationToken));
            session.Output.Show(cleared, cleared.WasActive ? $"alarm {id} on {on} cleared" : $"alarm {id} on {on} was not active");
        });
        return command;
    }
}
