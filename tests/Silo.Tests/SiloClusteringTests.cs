using Edge.Actors.Gateway;
using Edge.Actors.Silo.Clustering;
using Edge.Actors.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Configuration;

namespace Edge.Actors.Silo.Tests;

/// <summary>Real silos forming a cluster through the PostgreSQL membership table, from an empty database.</summary>
[Collection(PostgresGroup.Name)]
public sealed class SiloClusteringTests(PostgresFixture postgres)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Silos_SecondJoinsTheSameCluster_BothActiveInTheTableAndInEachOthersView()
    {
        var database = await postgres.CreateDatabaseAsync();
        var clusterId = TestSilo.NewClusterId();

        await using var first = await TestSilo.StartAsync(database, clusterId);
        Assert.Equal([(first.SiloPort, (int)SiloStatus.Active)], await TestSilo.ReadMembershipAsync(database, clusterId));

        await using var second = await TestSilo.StartAsync(database, clusterId);
        var expected = new[] { (first.SiloPort, (int)SiloStatus.Active), (second.SiloPort, (int)SiloStatus.Active) }.Order().ToList();
        await Eventually.MatchAsync(() => TestSilo.ReadMembershipAsync(database, clusterId), rows => rows.SequenceEqual(expected), Patience,
            "both silos Active in the membership table");
        foreach (var silo in new[] { first, second })
        {
            var membership = silo.Services.GetRequiredService<IClusterMembershipService>();
            await Eventually.MatchAsync(() => Task.FromResult(membership.CurrentSnapshot.Members.Values.Count(m => m.Status == SiloStatus.Active)),
                active => active == 2, Patience, $"silo on port {silo.SiloPort} to see two Active silos");
        }
    }

    [Fact]
    public async Task Silo_StoppedGracefully_RowMarkedDeadWhileTheOtherStaysActive()
    {
        var database = await postgres.CreateDatabaseAsync();
        var clusterId = TestSilo.NewClusterId();
        await using var staying = await TestSilo.StartAsync(database, clusterId);
        await using var leaving = await TestSilo.StartAsync(database, clusterId);

        await leaving.StopAsync();

        var rows = await TestSilo.ReadMembershipAsync(database, clusterId);
        Assert.Contains((leaving.SiloPort, (int)SiloStatus.Dead), rows);
        Assert.Contains((staying.SiloPort, (int)SiloStatus.Active), rows);
    }

    [Fact]
    public async Task Silo_DatabaseUnreachable_FailsToStartWithTheDatabaseError()
    {
        var nowhere = new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = LoopbackPorts.Free(), Username = "postgres", Timeout = 5 }.ConnectionString;

        var failure = await Record.ExceptionAsync(() => TestSilo.StartAsync(nowhere, TestSilo.NewClusterId()));

        Assert.NotNull(failure);
        Assert.Contains(Flatten(failure), e => e is NpgsqlException);
    }

    [Fact]
    public async Task Client_UseEdgePostgresClustering_FindsTheGatewayInTheTableAndCallsAGrain()
    {
        var database = await postgres.CreateDatabaseAsync();
        var clusterId = TestSilo.NewClusterId();
        await using var silo = await TestSilo.StartAsync(database, clusterId);

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client =>
        {
            client.UseEdgePostgresClustering(database);
            client.Configure<ClusterOptions>(options => (options.ClusterId, options.ServiceId) = (clusterId, clusterId));
        });
        using var host = builder.Build();
        using var timeout = new CancellationTokenSource(Patience);
        await host.StartAsync(timeout.Token);
        try
        {
            var answer = await host.Services.GetRequiredService<IClusterClient>().GetGrain<IPingGrain>("through-the-gateway").PingAsync();
            Assert.Equal("through-the-gateway", answer);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    private static IEnumerable<Exception> Flatten(Exception exception) =>
        exception is AggregateException aggregate
            ? aggregate.InnerExceptions.SelectMany(Flatten).Prepend(exception)
            : exception.InnerException is { } inner ? Flatten(inner).Prepend(exception) : [exception];
}
