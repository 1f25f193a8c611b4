using Edge.Actors.Silo.Clustering;
using Npgsql;

namespace Edge.Actors.Silo.Tests;

[Collection(PostgresGroup.Name)]
public sealed class OrleansPostgresSchemaTests(PostgresFixture postgres)
{
    /// <summary>Every key the Orleans 10.4.2 clustering and reminder providers look up, written out independently of the schema.</summary>
    public static readonly string[] RequiredQueryKeys =
    [
        "UpdateIAmAlivetimeKey", "InsertMembershipVersionKey", "InsertMembershipKey", "UpdateMembershipKey",
        "MembershipReadRowKey", "MembershipReadAllKey", "DeleteMembershipTableEntriesKey", "GatewaysQueryKey",
        "CleanupDefunctSiloEntriesKey", "CleanupDefunctSiloEntryKey",
        "UpsertReminderRowKey", "ReadReminderRowsKey", "ReadReminderRowKey", "ReadRangeRows1Key", "ReadRangeRows2Key",
        "DeleteReminderRowKey", "DeleteReminderRowsKey",
    ];

    [Fact]
    public async Task ApplyAsync_RunTwice_EveryRequiredQueryKeyPresentAndEachMigrationRecordedOnce()
    {
        var database = await postgres.CreateDatabaseAsync();

        await OrleansPostgresSchema.ApplyAsync(database, CancellationToken.None);
        await OrleansPostgresSchema.ApplyAsync(database, CancellationToken.None);

        var queries = await ReadQueriesAsync(database);
        Assert.Empty(RequiredQueryKeys.Except(queries.Keys));
        Assert.Equal(OrleansPostgresSchema.Migrations.Select(m => m.Id).Order(), await ReadMigrationIdsAsync(database));
    }

    [Fact]
    public async Task ApplyAsync_FourSilosAtOnce_AllSucceedAndLeaveOneConsistentSchema()
    {
        var database = await postgres.CreateDatabaseAsync();
        using var start = new SemaphoreSlim(0);

        var silos = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            await start.WaitAsync();
            await OrleansPostgresSchema.ApplyAsync(database, CancellationToken.None);
        })).ToArray();
        start.Release(silos.Length);
        await Task.WhenAll(silos).WaitAsync(TimeSpan.FromSeconds(60));

        var queries = await ReadQueriesAsync(database);
        Assert.Empty(RequiredQueryKeys.Except(queries.Keys));
        Assert.Equal(OrleansPostgresSchema.Migrations.Select(m => m.Id).Order(), await ReadMigrationIdsAsync(database));
    }

    [Fact]
    public async Task ApplyAsync_QueryTextChangedByHand_IsRestoredAndOtherProvidersRowsAreKept()
    {
        var database = await postgres.CreateDatabaseAsync();
        await OrleansPostgresSchema.ApplyAsync(database, CancellationToken.None);
        await ExecuteAsync(database, "UPDATE OrleansQuery SET QueryText = 'SELECT 1' WHERE QueryKey = 'GatewaysQueryKey'");
        await ExecuteAsync(database, "INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('WriteToStorageKey', 'owned by grain storage')");

        await OrleansPostgresSchema.ApplyAsync(database, CancellationToken.None);

        var queries = await ReadQueriesAsync(database);
        Assert.Equal(OrleansPostgresSchema.Queries["GatewaysQueryKey"], queries["GatewaysQueryKey"]);
        Assert.Equal("owned by grain storage", queries["WriteToStorageKey"]);
    }

    internal static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<Dictionary<string, string>> ReadQueriesAsync(string connectionString)
    {
        var queries = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT QueryKey, QueryText FROM OrleansQuery", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            queries.Add(reader.GetString(0), reader.GetString(1));
        }

        return queries;
    }

    private static async Task<List<int>> ReadMigrationIdsAsync(string connectionString)
    {
        var ids = new List<int>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT id FROM edge_orleans_migrations ORDER BY id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetInt32(0));
        }

        return ids;
    }
}
