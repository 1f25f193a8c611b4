using System.CommandLine;
using Edge.Actors.Gateway.Protos;

namespace Edge.Actors.Cli.Commands;

/// <summary><c>edgectl event-log list --site S</c>.</summary>
internal static class EventLogCommands
{
    public static Command Create(GlobalOptions globals) => new("event-log", "A site's fault history: every alarm set and clear, and every customer log") { List(globals) };

    private static Command List(GlobalOptions globals)
    {
        var site = CommandKit.Site();
        var command = new Command("list", "List a site's event log, oldest first") { site };
        command.SetCall(globals, async (parse, session, cancellationToken) =>
        {
            var client = new AlarmService.AlarmServiceClient(session.Channel);
            var log = await CommandKit.AllPagesAsync(
                page => client.ListEventLogAsync(new ListEventLogRequest { SiteId = parse.GetValue(site), Page = page }, session.Unary(cancellationToken)).ResponseAsync,
                r => r.Entries,
                r => r.NextPageToken);
            session.Output.Show(log, () => Tables.EventLog(log.Entries));
        });
        return command;
    }
}
