using System.Data;
using System.Globalization;
using System.Net;
using Edge.Actors.Silo.Clustering;
using Edge.Actors.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Runtime.Membership;
using Orleans.Runtime.MembershipService;

namespace Edge.Actors.Silo.Tests;

/// <summary>Orleans' own ADO.NET membership table and gateway list provider, driven directly against our queries.</summary>
[Collection(PostgresGroup.Name)]
public sealed class MembershipTableContractTests(PostgresFixture postgres)
{
    private static readonly DateTime Now = Microseconds(DateTime.UtcNow);

    [Fact]
    public async Task MembershipTable_WritesAgainstStaleOrMissingState_AreRefusedAndLeaveTheVersion()
    {
        var table = (await CreateAsync()).Table;

        var empty = await table.ReadAllAsync();
        Assert.Empty(empty.Members);
        Assert.Equal(0, empty.Version.Version);

        var first = Entry(11111, SiloStatus.Joining, proxyPort: 30000);
        Assert.True(await table.InsertRowAsync(first, empty.Version.Next()));
        Assert.False(await table.InsertRowAsync(Entry(22222, SiloStatus.Joining), empty.Version.Next()));

        var afterInsert = await table.ReadAllAsync();
        Assert.Equal(1, afterInsert.Version.Version);
        var stored = Assert.Single(afterInsert.Members).Item1;
        Assert.Equal(first.SiloAddress, stored.SiloAddress);
        Assert.Equal((first.SiloName, first.HostName, first.Status, first.ProxyPort), (stored.SiloName, stored.HostName, stored.Status, stored.ProxyPort));
        Assert.Equal((first.StartTime, first.IAmAliveTime), (stored.StartTime, stored.IAmAliveTime));
        Assert.Equal(DateTimeKind.Utc, stored.StartTime.Kind);
        Assert.False(await table.InsertRowAsync(first, afterInsert.Version.Next()));

        var voter = SiloAddress.New(IPAddress.Loopback, 33333, 5);
        var active = Entry(11111, SiloStatus.Active, proxyPort: 30000);
        active.AddSuspector(voter, Now);
        Assert.True(await table.UpdateRowAsync(active, afterInsert.Version.VersionEtag, afterInsert.Version.Next()));
        Assert.False(await table.UpdateRowAsync(active, afterInsert.Version.VersionEtag, afterInsert.Version.Next()));

        var afterUpdate = await table.ReadAllAsync();
        Assert.Equal(2, afterUpdate.Version.Version);
        var updated = Assert.Single(afterUpdate.Members).Item1;
        Assert.Equal(SiloStatus.Active, updated.Status);
        var vote = Assert.Single(updated.SuspectTimes!);
        Assert.Equal(voter, vote.Item1);
        Assert.False(await table.UpdateRowAsync(Entry(44444, SiloStatus.Active), afterUpdate.Version.VersionEtag, afterUpdate.Version.Next()));

        var heartbeat = Entry(11111, SiloStatus.Active);
        heartbeat.IAmAliveTime = Now.AddMinutes(1);
        await table.UpdateIAmAliveAsync(heartbeat);
        var afterHeartbeat = await table.ReadRowAsync(first.SiloAddress);
        Assert.Equal(2, afterHeartbeat.Version.Version);
        Assert.Equal(Now.AddMinutes(1), Assert.Single(afterHeartbeat.Members).Item1.IAmAliveTime);

        var unknown = await table.ReadRowAsync(SiloAddress.New(IPAddress.Loopback, 55555, 1));
        Assert.Empty(unknown.Members);
        Assert.Equal(2, unknown.Version.Version);
    }

    [Fact]
    public async Task InsertMembershipQuery_SecondWriterWithTheSameViewWhileTheFirstIsUncommitted_WaitsAndLoses()
    {
        var (table, database, clusterId) = await CreateAsync();
        await using var first = new NpgsqlConnection(database);
        await using var second = new NpgsqlConnection(database);
        await first.OpenAsync();
        await second.OpenAsync();
        await using var firstTransaction = await first.BeginTransactionAsync();
        Assert.Equal(1, await AddSiloAsync(first, firstTransaction, clusterId, port: 5001, expectedVersion: 0));

        var secondAttempt = AddSiloAsync(second, null, clusterId, port: 5002, expectedVersion: 0);
        await Eventually.MatchAsync(() => IsWaitingForALockAsync(database, second.ProcessID), waiting => waiting, TimeSpan.FromSeconds(10),
            "the second writer to wait for the first one's lock");
        await firstTransaction.CommitAsync();

        Assert.Equal(0, await secondAttempt.WaitAsync(TimeSpan.FromSeconds(10)));
        var after = await table.ReadAllAsync();
        Assert.Equal(5001, Assert.Single(after.Members).Item1.SiloAddress.Endpoint.Port);
        Assert.Equal(1, after.Version.Version);
    }

    [Fact]
    public async Task MembershipTable_DefunctCleanup_RemovesOnlyDeadRowsQuietSinceTheCutoff()
    {
        var table = (await CreateAsync()).Table;
        var old = Now.AddDays(-2);
        var deadOld = Entry(1001, SiloStatus.Dead, time: old);
        var deadOldSuspected = Entry(1002, SiloStatus.Dead, time: old);
        deadOldSuspected.AddSuspector(SiloAddress.New(IPAddress.Loopback, 1003, 1), old);
        var deadRecent = Entry(1004, SiloStatus.Dead, time: old);
        deadRecent.IAmAliveTime = Now;
        var activeOld = Entry(1005, SiloStatus.Active, time: old);
        foreach (var entry in new[] { deadOld, deadOldSuspected, deadRecent, activeOld })
        {
            Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync()).Version.Next()));
        }

        await table.CleanupDefunctSiloEntriesAsync(Now.AddHours(-1));

        var left = (await table.ReadAllAsync()).Members.Select(m => m.Item1.SiloAddress.Endpoint.Port).Order();
        Assert.Equal([1004, 1005], left);
    }

    [Fact]
    public async Task MembershipTable_DeleteEntries_RemovesTheClusterAndItsSilosOnly()
    {
        var (table, database, clusterId) = await CreateAsync();
        Assert.True(await table.InsertRowAsync(Entry(2001, SiloStatus.Active), (await table.ReadAllAsync()).Version.Next()));
        var neighbour = (await CreateAsync(database)).Table;
        Assert.True(await neighbour.InsertRowAsync(Entry(2002, SiloStatus.Active), (await neighbour.ReadAllAsync()).Version.Next()));

        await table.DeleteMembershipTableEntriesAsync(clusterId);

        Assert.Single((await neighbour.ReadAllAsync()).Members);
        await table.InitializeMembershipTableAsync(true);
        var recreated = await table.ReadAllAsync();
        Assert.Empty(recreated.Members);
        Assert.Equal(0, recreated.Version.Version);
    }

    [Fact]
    public async Task GatewayListProvider_MixedSilos_ListsOnlyActiveSilosWithAGateway()
    {
        var (table, database, clusterId) = await CreateAsync();
        foreach (var entry in new[]
                 {
                     Entry(3001, SiloStatus.Active, proxyPort: 30001),
                     Entry(3002, SiloStatus.Active, proxyPort: 0),
                     Entry(3003, SiloStatus.Joining, proxyPort: 30003),
                     Entry(3004, SiloStatus.Dead, proxyPort: 30004),
                 })
        {
            Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync()).Version.Next()));
        }

        var provider = new AdoNetGatewayListProvider(
            NullLogger<AdoNetGatewayListProvider>.Instance,
            new ServiceCollection().BuildServiceProvider(),
            Options.Create(new AdoNetClusteringClientOptions { Invariant = PostgresClusteringExtensions.Invariant, ConnectionString = database }),
            Options.Create(new GatewayOptions()),
            Options.Create(new ClusterOptions { ClusterId = clusterId, ServiceId = clusterId }));
        await provider.InitializeGatewayListProviderAsync();

        var gateway = Assert.Single(await provider.GetGatewaysAsync());
        Assert.Equal(("127.0.0.1", 30001), (gateway.Host, gateway.Port));
    }

    private async Task<Cluster> CreateAsync(string? database = null)
    {
        if (database is null)
        {
            database = await postgres.CreateDatabaseAsync();
            await OrleansPostgresSchema.ApplyAsync(database, CancellationToken.None);
        }

        var clusterId = $"cluster-{Guid.NewGuid():N}";
        var table = new AdoNetClusteringTable(
            new ServiceCollection().BuildServiceProvider(),
            Options.Create(new ClusterOptions { ClusterId = clusterId, ServiceId = clusterId }),
            Options.Create(new AdoNetClusteringSiloOptions { Invariant = PostgresClusteringExtensions.Invariant, ConnectionString = database }),
            NullLogger<AdoNetClusteringTable>.Instance);
        await table.InitializeMembershipTableAsync(true);
        return new Cluster(table, database, clusterId);
    }

    private static MembershipEntry Entry(int port, SiloStatus status, int proxyPort = 0, DateTime? time = null) => new()
    {
        SiloAddress = SiloAddress.New(IPAddress.Loopback, port, 7),
        SiloName = $"silo-{port}",
        HostName = "edge-test-host",
        Status = status,
        ProxyPort = proxyPort,
        StartTime = time ?? Now,
        IAmAliveTime = time ?? Now,
    };

    // Bound the way Orleans' provider binds them: by name, with the DbTypes it sets.
    private static async Task<int> AddSiloAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string clusterId, int port, int expectedVersion)
    {
        await using var command = new NpgsqlCommand(OrleansPostgresSchema.Queries["InsertMembershipKey"], connection, transaction);
        var now = DateTime.UtcNow;
        foreach (var (name, type, value) in new (string, DbType, object)[]
                 {
                     ("DeploymentId", DbType.String, clusterId), ("Address", DbType.AnsiString, "127.0.0.1"), ("Port", DbType.Int32, port),
                     ("Generation", DbType.Int32, 1), ("SiloName", DbType.String, $"silo-{port}"), ("HostName", DbType.String, "edge-test-host"),
                     ("Status", DbType.Int32, (int)SiloStatus.Joining), ("ProxyPort", DbType.Int32, 0), ("StartTime", DbType.DateTime, now),
                     ("IAmAliveTime", DbType.DateTime, now), ("Version", DbType.Int32, expectedVersion),
                 })
        {
            command.Parameters.Add(new NpgsqlParameter(name, type) { Value = value });
        }

        return Convert.ToInt32(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static async Task<bool> IsWaitingForALockAsync(string connectionString, int processId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT coalesce(bool_or(wait_event_type = 'Lock'), false) FROM pg_stat_activity WHERE pid = $1", connection);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = processId });
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    private sealed record Cluster(AdoNetClusteringTable Table, string Database, string ClusterId);

    // PostgreSQL keeps microseconds; .NET ticks are 100 ns.
    private static DateTime Microseconds(DateTime value) => new(value.Ticks - (value.Ticks % 10), DateTimeKind.Utc);
}
