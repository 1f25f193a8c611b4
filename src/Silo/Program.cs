// Edge.Actors.Silo owns the host program: configuration, the Orleans silo and its embedded defaults
// (localhost clustering, SQLite event store under ./data).
using Edge.Actors.EventStore;
using Edge.Actors.Silo;

// Settings files travel with the program; ./data stays relative to where it was started.
var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.AddCommandLine(args, SiloSettings.Flags);
var settings = SiloSettings.From(builder.Configuration);

IEventStore store;
try
{
    store = await EdgeStorage.OpenEventStoreAsync(settings);
}
catch (EventStoreStartupException ex)
{
    await Console.Error.WriteLineAsync($"edge-silo: cannot start: {ex.Message}");
    return 2;
}

await using (store)
{
    builder.AddEdgeSilo(settings, store);
    var app = builder.Build();
    await app.RunAsync();
}

return 0;
