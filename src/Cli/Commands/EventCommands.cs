using System.CommandLine;
using System.Globalization;
using Edge.Actors.Gateway.Protos;
using Grpc.Core;

namespace Edge.Actors.Cli.Commands;

/// <summary><c>edgectl events watch [--from N] [--site S]... [--kind K]... [--count N]</c>.</summary>
internal static class EventCommands
{
    public static readonly string[] Kinds = ["site", "host", "instance", "pod", "pool", "alarm", "monitor", "device"];

    public static Command Create(GlobalOptions globals) => new("events", "The domain events as they commit, in commit order") { Watch(globals) };

    private static Command Watch(GlobalOptions globals)
    {
        var from = new Option<long>("--from") { Description = "Events after this position; 0 (the default) replays the whole history first. Reconnect with the last position seen to miss nothing" };
        var sites = new Option<string[]>("--site") { Description = "Only this site's events (repeat for more)", Arity = ArgumentArity.OneOrMore };
        var kinds = new Option<string[]>("--kind") { Description = $"Only events of this kind of resource: {string.Join(", ", Kinds)} (repeat for more)", Arity = ArgumentArity.OneOrMore }
            .AcceptOnlyFromAmong(Kinds);
        var count = new Option<int>("--count") { Description = "Stop after this many events (default: watch until interrupted)" };
        from.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<long>() < 0)
            {
                result.AddError("--from must be 0 or more");
            }
        });
        count.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 0)
            {
                result.AddError("--count must be 0 or more");
            }
        });
        var command = new Command("watch", "Print one line per event: position, time, type, stream (with --output json, the event with its payload)") { from, sites, kinds, count };
        command.SetCall(globals, async (parse, session, cancellationToken) =>
        {
            var request = new WatchRequest { FromPosition = parse.GetValue(from) };
            request.Sites.AddRange(parse.GetValue(sites) ?? []);
            request.Kinds.AddRange(parse.GetValue(kinds) ?? []);
            var wanted = parse.GetValue(count);
            var client = new EventService.EventServiceClient(session.Channel);
            using var call = client.Watch(request, session.Streaming(cancellationToken));
            var seen = 0;
            try
            {
                while (await call.ResponseStream.MoveNext(cancellationToken))
                {
                    var e = call.ResponseStream.Current;
                    session.Output.Line(e, () => Line(e));
                    if (wanted > 0 && ++seen >= wanted)
                    {
                        // Disposing the call cancels the stream: the gateway stops reading for this watcher.
                        return;
                    }
                }
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
            {
                // Interrupted (Ctrl+C): the normal end of a watch.
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
        });
        return command;
    }

    private static string Line(DomainEvent e) => string.Join(' ',
        e.Position.ToString(CultureInfo.InvariantCulture),
        e.RecordedAt?.ToDateTimeOffset().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture) ?? "-",
        e.Type,
        e.Stream,
        $"v{e.Version.ToString(CultureInfo.InvariantCulture)}");
}
