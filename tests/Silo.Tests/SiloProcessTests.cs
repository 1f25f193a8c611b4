using Edge.Actors.Abstractions;
using Edge.Actors.EventStore.Sqlite;

namespace Edge.Actors.Silo.Tests;

/// <summary>The silo program as a user runs it: real processes, killed with SIGKILL, restarted, clustered.</summary>
[Collection(PostgresGroup.Name)]
public sealed class SiloProcessTests(PostgresFixture postgres) : IDisposable
{
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(90);
    private const string Serving = "Edge.Actors silo serving";

    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("edge-silo-");

    public void Dispose() => _data.Delete(recursive: true);

    /// <summary>Commands a user would run: a site, two unlocked workers, VMs; returns the VM views acknowledged.</summary>
    private static async Task<List<InstanceView>> RunCommandsAsync(IGrainFactory grains, string site, int vms)
    {
        await grains.GetGrain<ISiteGrain>(site).CreateAsync(new CreateSite($"create-{site}"));
        foreach (var worker in new[] { "worker-0", "worker-1" })
        {
            var host = grains.GetGrain<IHostGrain>(ResourceNames.Key(site, worker));
            await host.AddAsync(new AddHost($"add-{worker}", HostPersonality.Worker, 64, 262144, 4000));
            await host.UnlockAsync($"unlock-{worker}");
        }

        var acknowledged = new List<InstanceView>();
        for (var i = 0; i < vms; i++)
        {
            acknowledged.Add(await grains.GetGrain<IInstanceGrain>(ResourceNames.Key(site, $"vm-{i}"))
                .CreateAsync(new CreateInstance($"create-vm-{i}", new Flavor("m1.small", 1, 1024, 10), "cirros")));
        }

        return acknowledged;
    }

    private static async Task AssertAllAppliedAsync(IGrainFactory grains, string site, List<InstanceView> acknowledged)
    {
        var inventory = await grains.GetGrain<ISiteGrain>(site).GetInventoryAsync();
        Assert.Equal(acknowledged.Select(v => v.Name).Order(StringComparer.Ordinal), inventory.Instances);
        foreach (var vm in acknowledged)
        {
            var now = await grains.GetGrain<IInstanceGrain>(ResourceNames.Key(site, vm.Name)).GetAsync();
            Assert.Equal((vm.Host, InstanceStatus.Active), (now.Host, now.State));
        }

        var worker = await grains.GetGrain<IHostGrain>(ResourceNames.Key(site, "worker-0")).GetAsync();
        Assert.Equal(AdministrativeState.Unlocked, worker.Administrative);
        // And the restarted silo keeps accepting commands.
        var next = await grains.GetGrain<IInstanceGrain>(ResourceNames.Key(site, "vm-after-restart"))
            .CreateAsync(new CreateInstance("create-after-restart", new Flavor("m1.small", 1, 1024, 10), "cirros"));
        Assert.Equal(InstanceStatus.Active, next.State);
    }

    private static async Task KillAndRestartKeepsAcknowledgedCommandsAsync(string[] arguments, string clusterId)
    {
        const string Site = "crash-site";
        List<InstanceView> acknowledged;
        int siloPort, gatewayPort;
        await using (var first = SiloProcess.Start(arguments))
        {
            (siloPort, gatewayPort) = (first.SiloPort, first.GatewayPort);
            await first.WaitForLogAsync(Serving, Startup);
            var (host, client) = await first.ConnectAsync(clusterId);
            using (host)
            {
                acknowledged = await RunCommandsAsync(client, Site, vms: 25);
                await first.KillAsync();
                Assert.Equal(137, first.ExitCode);
                await host.StopAsync(CancellationToken.None);
            }
        }

        await using var second = SiloProcess.Start(siloPort, gatewayPort, arguments);
        await second.WaitForLogAsync(Serving, Startup);
        var (host2, client2) = await second.ConnectAsync(clusterId);
        using (host2)
        {
            await AssertAllAppliedAsync(client2, Site, acknowledged);
            await host2.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Silo_OnSqlite_KilledAfterAcknowledgedCommands_RestartsWithAllOfThemApplied() =>
        await KillAndRestartKeepsAcknowledgedCommandsAsync(["--data", _data.FullName], "edge");

    [Fact]
    public async Task Silo_OnPostgres_KilledAfterAcknowledgedCommands_RestartsWithAllOfThemApplied()
    {
        var database = await postgres.CreateDatabaseAsync();
        await KillAndRestartKeepsAcknowledgedCommandsAsync(["--postgres", database, "--cluster-id", "crash"], "crash");
    }

    [Fact]
    public async Task TwoSilos_OnOnePostgres_FormOneClusterAndAnswerThroughEither()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var a = SiloProcess.Start("--postgres", database, "--cluster-id", "pair");
        await a.WaitForLogAsync(Serving, Startup);
        await using var b = SiloProcess.Start("--postgres", database, "--cluster-id", "pair");

        await a.WaitForLogAsync("Cluster membership: 2 active silo(s)", Startup);
        await b.WaitForLogAsync("Cluster membership: 2 active silo(s)", Startup);

        var (hostA, throughA) = await a.ConnectAsync("pair");
        var (hostB, throughB) = await b.ConnectAsync("pair");
        using (hostA)
        using (hostB)
        {
            var created = await RunCommandsAsync(throughA, "pair-site", vms: 4);
            foreach (var vm in created)
            {
                Assert.Equal(vm.Host, (await throughB.GetGrain<IInstanceGrain>(ResourceNames.Key("pair-site", vm.Name)).GetAsync()).Host);
            }

            var fromB = await throughB.GetGrain<IHostGrain>(ResourceNames.Key("pair-site", "worker-1")).LockAsync(new LockHost("lock-through-b"));
            Assert.Equal(AdministrativeState.Locked, fromB.Administrative);
            Assert.Equal(AdministrativeState.Locked, (await throughA.GetGrain<IHostGrain>(ResourceNames.Key("pair-site", "worker-1")).GetAsync()).Administrative);
            await hostA.StopAsync(CancellationToken.None);
            await hostB.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Demo_SeededTwice_ShowsTheRegionAndRecordsNothingTheSecondTime()
    {
        long headAfterFirst;
        await using (var first = SiloProcess.Start("--data", _data.FullName, "--demo"))
        {
            await first.WaitForLogAsync("Demo region: 3 sites, 24 hosts, 3 storage pools, 60 VMs, 60 pods", Startup);
            await first.KillAsync();
        }

        await using (var store = await SqliteEventStore.OpenAsync(Path.Combine(_data.FullName, "events.db")))
        {
            headAfterFirst = await store.ReadHeadPositionAsync();
        }

        await using (var second = SiloProcess.Start("--data", _data.FullName, "--demo"))
        {
            await second.WaitForLogAsync("Demo region: 3 sites, 24 hosts, 3 storage pools, 60 VMs, 60 pods", Startup);
            await second.KillAsync();
        }

        await using var reopened = await SqliteEventStore.OpenAsync(Path.Combine(_data.FullName, "events.db"));
        Assert.True(headAfterFirst > 0);
        Assert.Equal(headAfterFirst, await reopened.ReadHeadPositionAsync());
    }

    public static TheoryData<string[], string> BadConfigurations => new()
    {
        { ["--postgres", "Host=127.0.0.1;Port=1;Username=edge;Timeout=3"], "Edge:Postgres (--postgres)" },
        { ["--postgres", "Host=127.0.0.1;Nonsense=1"], "Edge:Postgres (--postgres)" },
        { ["--data", "/proc/edge-cannot-write-here"], "Edge:DataFolder (--data)" },
        { ["--silo-port", "0"], "--silo-port must be a port number" },
        { ["--gateway-port", "http"], "--gateway-port" },
        { ["--advertise", "not-an-address"], "--advertise must be an IP address" },
        { ["--bogus"], "Unrecognized command or argument '--bogus'" },
    };

    [Theory]
    [MemberData(nameof(BadConfigurations))]
    public async Task Silo_WithBadConfiguration_StopsWithOneMessageNamingTheSetting(string[] arguments, string named)
    {
        var silo = await SiloProcess.RunToExitAsync(TimeSpan.FromSeconds(60), arguments);
        await using (silo)
        {
            Assert.NotEqual(0, silo.ExitCode);
            Assert.Contains(named, silo.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", silo.Output, StringComparison.Ordinal);
        }
    }
}
