// Edge.Actors.AppendProbe: a child process for crash tests. It appends to the event store from 8 concurrent
// writers and prints one "ACK stream version event-id" line per acknowledged append, until it is killed.
using Edge.Actors.EventStore;
using Edge.Actors.EventStore.Postgres;
using Edge.Actors.EventStore.Sqlite;

if (args.Length != 3 || args[0] is not ("postgres" or "sqlite"))
{
    Console.Error.WriteLine("usage: append-probe postgres|sqlite <connection string or file> <stream prefix>");
    return 2;
}

await using IEventStore store = args[0] == "postgres"
    ? await PostgresEventStore.OpenAsync(args[1])
    : await SqliteEventStore.OpenAsync(args[1]);
Console.WriteLine("READY");

// Bounded so that a probe whose parent died cannot run on forever.
using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
var writers = Enumerable.Range(0, 8).Select(async writer =>
{
    var stream = $"{args[2]}-{writer}";
    for (long version = 0; version < 100_000 && !stop.IsCancellationRequested; version++)
    {
        var id = Guid.NewGuid();
        var result = await store.AppendAsync(stream, version, [new EventData(id, "probe.appended", 1, $$"""{"writer":{{writer}},"n":{{version}}}""")]);
        if (!result.Succeeded)
        {
            Console.Error.WriteLine($"unexpected conflict on {stream} at {version}");
            Environment.Exit(3);
        }

        Console.WriteLine($"ACK {stream} {version + 1} {id}");
    }
});
await Task.WhenAll(writers);
return 0;
