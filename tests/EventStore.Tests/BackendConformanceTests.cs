using Edge.Actors.EventStore.Postgres;
using Edge.Actors.EventStore.Sqlite;

namespace Edge.Actors.EventStore.Tests;

[Collection(PostgresGroup.Name)]
public sealed class PostgresEventStoreTests(PostgresFixture postgres) : EventStoreConformanceTests
{
    protected override async Task<IEventStore> OpenStoreAsync(EventStoreOptions? options = null) =>
        await PostgresEventStore.OpenAsync(postgres.SharedDatabase, options);
}

public sealed class SqliteEventStoreTests : EventStoreConformanceTests, IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("edge-sqlite-");

    protected override async Task<IEventStore> OpenStoreAsync(EventStoreOptions? options = null) =>
        await SqliteEventStore.OpenAsync(Path.Combine(_folder.FullName, "events.db"), options);

    public void Dispose() => _folder.Delete(recursive: true);
}
