// Edge.Actors.Silo owns the host program: configuration, the Orleans silo and its embedded defaults
// (localhost clustering, SQLite event store under ./data) or PostgreSQL for a production cluster.
using Edge.Actors.EventStore;
using Edge.Actors.Gateway;
using Edge.Actors.Silo;

return await SiloCommand.Create(RunAsync).Parse(args).InvokeAsync();

static async Task<int> RunAsync(SiloSettings settings, CancellationToken cancellationToken)
{
    IEventStore store;
    try
    {
        store = await EdgeStorage.OpenEventStoreAsync(settings, cancellationToken);
    }
    catch (EventStoreStartupException ex)
    {
        await Console.Error.WriteLineAsync($"edge-silo: cannot start: {ex.Message}");
        return 2;
    }

    await using (store)
    {
        // Settings files travel with the program; ./data stays relative to where it was started.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        try
        {
            builder.AddEdgeSilo(settings, store);
            builder.AddEdgeGateway(settings.Gateway);
            await using var app = builder.Build();
            app.MapEdgeGateway();
            await app.RunAsync(cancellationToken);
        }
        catch (Exception ex) when (SiloHosting.DescribeStartupFailure(ex) is { } reason)
        {
            await Console.Error.WriteLineAsync($"edge-silo: cannot start: {reason}");
            return 2;
        }
    }

    return 0;
}
