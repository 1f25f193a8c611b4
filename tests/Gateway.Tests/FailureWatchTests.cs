using Edge.Actors.Gateway.Protos;
using Edge.Actors.TestSupport;
using Grpc.Core;

namespace Edge.Actors.Gateway.Tests;

/// <summary>A host whose pulse stream dies, and comes back, as clients see it: states, alarms, evacuation, and all of it in the watch.</summary>
/// <remarks>
/// A silo of its own: the hosts it leaves silent keep being detected after the test, which would move the store
/// under the other gateway tests that check a refused call records nothing.
/// </remarks>
public sealed class FailureWatchTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private static string Id() => Guid.NewGuid().ToString("N");

    /// <summary>One agent's pulse stream: a pulse every 100 ms until cancelled, then dropped without completing, as a dead host's would be.</summary>
    private Task PulseAsync(string site, string host, CancellationToken stop) => Task.Run(async () =>
    {
        using var stream = new HostAgentService.HostAgentServiceClient(fixture.Channel).StreamPulses(fixture.As(Security.EdgeRole.Operator, site));
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        ulong sequence = 0;
        try
        {
            do
            {
                await stream.RequestStream.WriteAsync(new Pulse { SiteId = site, Host = host, Sequence = ++sequence }, stop);
            }
            while (await tick.WaitForNextTickAsync(stop));
        }
        catch (Exception ex) when (stop.IsCancellationRequested && ex is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
        {
            // Dropped: the stream is disposed without completing.
        }
    }, CancellationToken.None);

    [Fact]
    public async Task HostWhosePulsesStop_FailsIsEvacuatedAndAlarmed_ThenRecovers_AndTheWatchShowsEveryStep()
    {
        var site = $"fw-{Id()[..8]}";
        var admin = fixture.Admin;
        await new SiteService.SiteServiceClient(fixture.Channel).CreateSiteAsync(new CreateSiteRequest { RequestId = Id(), SiteId = site }, admin);
        var hosts = new HostService.HostServiceClient(fixture.Channel);
        var vms = new InstanceService.InstanceServiceClient(fixture.Channel);
        var alarms = new AlarmService.AlarmServiceClient(fixture.Channel);
        var agents = new HostAgentService.HostAgentServiceClient(fixture.Channel);
        foreach (var name in new[] { "worker-0", "worker-1" })
        {
            await hosts.AddHostAsync(new AddHostRequest { RequestId = Id(), SiteId = site, Name = name, Personality = HostPersonality.Worker, Vcpus = 4, MemoryMib = 8192, DiskGib = 100 }, admin);
            await hosts.UnlockHostAsync(new HostCommandRequest { RequestId = Id(), SiteId = site, Name = name }, admin);
            if (name == "worker-0")
            {
                await vms.CreateInstanceAsync(new CreateInstanceRequest { RequestId = Id(), SiteId = site, Name = "vm-0", Image = "cirros", Flavor = new Flavor { Name = "m1.small", Vcpus = 1, MemoryMib = 512, DiskGib = 10 } }, admin);
            }
        }

        var head = await fixture.Store.ReadHeadPositionAsync();
        using var stopAll = new CancellationTokenSource();
        using var stopFirst = CancellationTokenSource.CreateLinkedTokenSource(stopAll.Token);
        var second = PulseAsync(site, "worker-1", stopAll.Token);
        var first = PulseAsync(site, "worker-0", stopFirst.Token);
        await Eventually.MatchAsync(
            () => agents.GetPulseStatusAsync(new GetPulseStatusRequest { SiteId = site }, admin).ResponseAsync,
            s => s.Hosts.Count(h => h.Health == "HEALTHY") == 2,
            TimeSpan.FromSeconds(10),
            "both hosts' pulses watched");

        await stopFirst.CancelAsync();
        await first;
        var moved = await Eventually.MatchAsync(
            () => vms.GetInstanceAsync(new GetInstanceRequest { SiteId = site, Name = "vm-0" }, admin).ResponseAsync,
            vm => vm.Host == "worker-1",
            TimeSpan.FromSeconds(10),
            "vm-0 evacuated to worker-1");
        Assert.Equal(InstanceState.Active, moved.State);
        var failed = await hosts.GetHostAsync(new GetHostRequest { SiteId = site, Name = "worker-0" }, admin);
        Assert.Equal(Availability.Failed, failed.Availability);
        var alarm = await alarms.GetAlarmAsync(new GetAlarmRequest { SiteId = site, AlarmId = "200.004", EntityInstanceId = $"host={site}/worker-0" }, admin);
        Assert.Equal(AlarmSeverity.Critical, alarm.Severity);

        var back = PulseAsync(site, "worker-0", stopAll.Token);
        await Eventually.MatchAsync(
            () => hosts.GetHostAsync(new GetHostRequest { SiteId = site, Name = "worker-0" }, admin).ResponseAsync,
            h => h.Availability == Availability.Available,
            TimeSpan.FromSeconds(10),
            "worker-0 available again");
        await Eventually.MatchAsync(
            () => alarms.ListAlarmsAsync(new ListAlarmsRequest { SiteId = site }, admin).ResponseAsync,
            a => a.Alarms.Count == 0,
            TimeSpan.FromSeconds(10),
            "every alarm cleared");
        await stopAll.CancelAsync();
        await Task.WhenAll(second, back);

        // The watch from before the failure shows each step, in order.
        var seen = new List<DomainEvent>();
        using (var watch = new EventService.EventServiceClient(fixture.Channel).Watch(new WatchRequest { FromPosition = head, Sites = { site } }, admin, deadline: DateTime.UtcNow.AddSeconds(20)))
        {
            while (!seen.Any(e => e.Type == "edge.alarm-cleared" && e.Json.Contains("200.004", StringComparison.Ordinal)) && await watch.ResponseStream.MoveNext(CancellationToken.None))
            {
                seen.Add(watch.ResponseStream.Current);
            }
        }

        string[] steps =
        [
            "monitor edge.host-watched",
            "host edge.host-availability-changed Degraded",
            "alarm edge.alarm-raised 200.005",
            "host edge.host-failed",
            "instance edge.instance-evacuated",
            "host edge.host-evacuated",
            "host edge.host-availability-changed InTest",
            "host edge.host-availability-changed Available",
            "alarm edge.alarm-cleared 200.004",
        ];
        var remaining = new Queue<string>(steps);
        foreach (var e in seen)
        {
            var parts = remaining.Count == 0 ? [] : remaining.Peek().Split(' ');
            if (parts.Length > 0 && e.Kind == parts[0] && e.Type == parts[1] && (parts.Length < 3 || e.Json.Contains(parts[2], StringComparison.Ordinal)))
            {
                remaining.Dequeue();
            }
        }

        Assert.True(remaining.Count == 0, $"the watch missed '{string.Join("', '", remaining)}' in:\n{string.Join('\n', seen.Select(e => $"{e.Kind} {e.Type} {e.Json}"))}");
        Assert.Contains(seen, e => e.Kind == "alarm" && e.Type == "edge.alarm-raised" && e.Json.Contains("200.004", StringComparison.Ordinal));
    }
}
