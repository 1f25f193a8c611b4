using Edge.Actors.Abstractions;
using Edge.Actors.TestSupport;
using Npgsql;

namespace Edge.Actors.Silo.Tests;

/// <summary>A real silo process killed in the middle of evacuating a failed host: the restarted silo finishes the job, placing each VM once.</summary>
[Collection(PostgresGroup.Name)]
public sealed class EvacuationCrashTests(PostgresFixture postgres)
{
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(90);
    private const string Serving = "Edge.Actors silo serving";
    private const string Site = "evac-site";
    private const int Vms = 300;

    private static async Task<long> CountAsync(NpgsqlDataSource database, string sql)
    {
        await using var command = database.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Silo_KilledMidEvacuation_FinishesItAfterRestart_WithEveryVmPlacedExactlyOnce()
    {
        var connection = await postgres.CreateDatabaseAsync();
        await using var database = NpgsqlDataSource.Create(connection);
        string[] arguments = ["--postgres", connection, "--cluster-id", "evac"];
        int siloPort, gatewayPort;
        bool evacuatedAtKill;
        long movedAtKill;
        await using (var first = SiloProcess.Start(arguments))
        {
            (siloPort, gatewayPort) = (first.SiloPort, first.GatewayPort);
            await first.WaitForLogAsync(Serving, Startup);
            var (host, client) = await first.ConnectAsync("evac");
            using (host)
            {
                await client.GetGrain<ISiteGrain>(Site).CreateAsync(new CreateSite("create", "evacuation crash", "lab"));
                await AddHostAsync(client, "worker-0", Vms);
                await Task.WhenAll(Enumerable.Range(0, Vms).Select(i => client.GetGrain<IInstanceGrain>(ResourceNames.Key(Site, $"vm-{i:D3}"))
                    .CreateAsync(new CreateInstance($"create-{i}", new Flavor("m1.small", 1, 512, 10), "cirros"))));
                for (var w = 1; w <= 3; w++)
                {
                    await AddHostAsync(client, $"worker-{w}", Vms / 2);
                }

                // The failure the detector would report; the silo dies as soon as it is on record.
                var failing = client.GetGrain<IHostGrain>(ResourceNames.Key(Site, "worker-0")).FailAsync("10 pulses missed");
                // Polled without pause: the evacuation takes only milliseconds once the failure is recorded.
                var deadline = DateTime.UtcNow.AddSeconds(30);
                while (await CountAsync(database, "SELECT count(*) FROM edge_events WHERE event_type = 'edge.host-failed'") == 0)
                {
                    Assert.True(DateTime.UtcNow < deadline, "the host's failure was not recorded within 30 s");
                }

                await first.KillAsync();
                evacuatedAtKill = await CountAsync(database, "SELECT count(*) FROM edge_events WHERE event_type = 'edge.host-evacuated'") > 0;
                movedAtKill = await CountAsync(database, "SELECT count(*) FROM edge_events WHERE event_type = 'edge.instance-evacuated'");
                // The caller's request died with the silo; its outcome is read from the store instead.
                _ = failing.ContinueWith(t => t.Exception, TaskScheduler.Default);
                await host.StopAsync(CancellationToken.None);
            }
        }

        Assert.False(evacuatedAtKill, "the silo was killed after the evacuation had finished; nothing was left to resume");
        await using var second = SiloProcess.Start(siloPort, gatewayPort, arguments);
        await second.WaitForLogAsync(Serving, Startup);
        await Eventually.MatchAsync(
            () => CountAsync(database, "SELECT count(*) FROM edge_events WHERE event_type = 'edge.host-evacuated'"),
            n => n == 1,
            TimeSpan.FromSeconds(60),
            $"the evacuation finished after the restart ({movedAtKill} of {Vms} VMs had moved when the silo was killed)");

        // Each VM rebuilt exactly once, and the ledger and every VM agree on where it runs.
        Assert.Equal(Vms, await CountAsync(database, "SELECT count(*) FROM edge_events WHERE event_type = 'edge.instance-evacuated'"));
        Assert.Equal(Vms, await CountAsync(database, "SELECT count(DISTINCT stream_id) FROM edge_events WHERE event_type = 'edge.instance-evacuated'"));
        var (host2, client2) = await second.ConnectAsync("evac");
        using (host2)
        {
            var inventory = await client2.GetGrain<ISiteGrain>(Site).GetInventoryAsync();
            Assert.Equal(Vms, inventory.Instances.Count);
            Assert.Empty(inventory.Hosts.Single(h => h.Host == "worker-0").Workloads);
            Assert.All(inventory.Hosts, h => Assert.True(h.Capacity.Covers(h.Allocated), $"{h.Host} is over capacity"));
            var placed = inventory.Hosts.SelectMany(h => h.Workloads.Select(w => (Workload: w, h.Host))).ToDictionary(p => p.Workload, p => p.Host);
            foreach (var name in inventory.Instances)
            {
                var vm = await client2.GetGrain<IInstanceGrain>(ResourceNames.Key(Site, name)).GetAsync();
                Assert.Equal((InstanceStatus.Active, placed[$"instance/{name}"]), (vm.State, vm.Host));
            }

            var failed = await client2.GetGrain<IHostGrain>(ResourceNames.Key(Site, "worker-0")).GetAsync();
            Assert.Equal(HostAvailability.Failed, failed.Availability);
            await host2.StopAsync(CancellationToken.None);
        }
    }

    private static async Task AddHostAsync(IClusterClient client, string name, int vcpus)
    {
        var host = client.GetGrain<IHostGrain>(ResourceNames.Key(Site, name));
        await host.AddAsync(new AddHost($"add-{name}", HostPersonality.Worker, vcpus, vcpus * 1024L, vcpus * 20L));
        await host.UnlockAsync($"unlock-{name}");
    }
}
