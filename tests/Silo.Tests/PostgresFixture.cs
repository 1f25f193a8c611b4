using Edge.Actors.TestSupport;

namespace Edge.Actors.Silo.Tests;

/// <summary>One throwaway PostgreSQL server for every test of this assembly; each test makes its own database on it.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgresServer? _server;

    public PostgresServer Server => _server ?? throw new InvalidOperationException("PostgreSQL is not started");

    public Task<string> CreateDatabaseAsync() => Server.CreateDatabaseAsync("orleans");

    public async Task InitializeAsync() => _server = await PostgresServer.StartAsync();

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
