using Edge.Actors.TestSupport;

namespace Edge.Actors.EventStore.Tests;

/// <summary>One throwaway PostgreSQL server for every PostgreSQL test of this assembly, with one shared database.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgresServer? _server;

    public PostgresServer Server => _server ?? throw new InvalidOperationException("PostgreSQL is not started");

    public string SharedDatabase { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        _server = await PostgresServer.StartAsync();
        SharedDatabase = await _server.CreateDatabaseAsync("events");
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresGroup : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
