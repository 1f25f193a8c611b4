using Edge.Actors.Gateway.Protos;
using Google.Protobuf;

namespace Edge.Actors.Gateway.Tests;

[Collection(GatewayGroup.Name)]
public sealed class WatchTests(GatewayFixture fixture)
{
    [Fact]
    public async Task Watch_ResumedAfterRandomDisconnectsWhileEightWritersCommand_SeesEveryEventOnceInOrder()
    {
        var site = $"watch-{Guid.NewGuid():N}"[..14];
        var admin = fixture.Admin;
        await new SiteService.SiteServiceClient(fixture.Channel).CreateSiteAsync(new CreateSiteRequest { RequestId = $"c-{site}", SiteId = site }, admin);
        var hosts = new HostService.HostServiceClient(fixture.Channel);
        for (var i = 0; i < 4; i++)
        {
            await hosts.AddHostAsync(new AddHostRequest { RequestId = $"a{i}-{site}", SiteId = site, Name = $"worker-{i}", Personality = HostPersonality.Worker, Vcpus = 1024, MemoryMib = 1 << 22, DiskGib = 100000 }, admin);
            await hosts.UnlockHostAsync(new HostCommandRequest { RequestId = $"u{i}-{site}", SiteId = site, Name = $"worker-{i}" }, admin);
        }

        const int Writers = 8;
        const int VmsPerWriter = 320;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var vms = new InstanceService.InstanceServiceClient(fixture.Channel);
        var writing = Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < VmsPerWriter; i++)
            {
                await vms.CreateInstanceAsync(new CreateInstanceRequest { RequestId = $"vm-{w}-{i}", SiteId = site, Name = $"vm-{w}-{i}", Image = "cirros", Flavor = new Flavor { Name = "t", Vcpus = 1, MemoryMib = 64, DiskGib = 1 } }, admin, cancellationToken: timeout.Token);
            }
        })));

        // Reads in sessions that end at random points (a disconnect) and resume from the last position seen.
        var random = new Random(42);
        var seen = new List<DomainEvent>();
        var events = new EventService.EventServiceClient(fixture.Channel);
        var disconnects = 0;
        var instanceEvents = 0;
        var done = false;
        while (!done)
        {
            timeout.Token.ThrowIfCancellationRequested();
            using var session = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
            using var watch = events.Watch(new WatchRequest { FromPosition = seen.Count == 0 ? 0 : seen[^1].Position, Sites = { site } }, admin, cancellationToken: session.Token);
            var budget = random.Next(1, 900);
            try
            {
                while (budget-- > 0 && await watch.ResponseStream.MoveNext(session.Token))
                {
                    seen.Add(watch.ResponseStream.Current);
                    // Counted, not waited on the writers: a create's event can reach the watch before its reply reaches
                    // the writer, and a watch waiting for one more event after the last would wait forever.
                    if (watch.ResponseStream.Current.Kind == "instance" && ++instanceEvents == Writers * VmsPerWriter)
                    {
                        done = true;
                        break;
                    }
                }
            }
            finally
            {
                session.Cancel();
                disconnects++;
            }
        }

        await writing;
        Assert.True(seen.Count >= 5000, $"only {seen.Count} events");
        Assert.True(disconnects > 5, $"only {disconnects} sessions");
        Assert.Equal(seen.Count, seen.Select(e => e.Position).Distinct().Count());
        Assert.True(seen.Zip(seen.Skip(1)).All(p => p.First.Position < p.Second.Position), "positions are not in global order");
        Assert.All(seen, e => Assert.Equal(site, e.SiteId));
        // Nothing missed: every event of the site's streams in the store, in the same order.
        var expected = new List<long>();
        for (var after = 0L; ;)
        {
            var page = await fixture.Store.ReadAllAsync(after, 1000);
            if (page.Count == 0)
            {
                break;
            }

            expected.AddRange(page.Where(e => e.EventType != "edge.request-accepted" && e.StreamId.Split('/')[1] == site && e.StreamId.Split('/')[0] is "site" or "host" or "instance" or "pod" or "pool").Select(e => e.Position));
            after = page[^1].Position;
        }

        Assert.Equal(expected, seen.Select(e => e.Position));
    }

    [Fact]
    public async Task Watch_FilteredByKind_SendsOnlyThatKind()
    {
        var site = $"kind-{Guid.NewGuid():N}"[..13];
        await new SiteService.SiteServiceClient(fixture.Channel).CreateSiteAsync(new CreateSiteRequest { RequestId = $"c-{site}", SiteId = site }, fixture.Admin);
        await new HostService.HostServiceClient(fixture.Channel).AddHostAsync(new AddHostRequest { RequestId = $"a-{site}", SiteId = site, Name = "worker-0", Personality = HostPersonality.Worker, Vcpus = 4, MemoryMib = 4096, DiskGib = 10 }, fixture.Admin);

        using var watch = new EventService.EventServiceClient(fixture.Channel).Watch(new WatchRequest { Sites = { site }, Kinds = { "host" } }, fixture.Admin);
        Assert.True(await watch.ResponseStream.MoveNext(CancellationToken.None));
        var first = watch.ResponseStream.Current;

        Assert.Equal(("host", "edge.host-added", $"host/{site}/worker-0"), (first.Kind, first.Type, first.Stream));
    }
}

[Collection(GatewayGroup.Name)]
public sealed class JsonViewTests(GatewayFixture fixture)
{
    [Fact]
    public async Task GetHost_OverHttpJson_HasTheSameContentAsOverGrpc()
    {
        var site = $"json-{Guid.NewGuid():N}"[..13];
        await new SiteService.SiteServiceClient(fixture.Channel).CreateSiteAsync(new CreateSiteRequest { RequestId = $"c-{site}", SiteId = site }, fixture.Admin);
        var hosts = new HostService.HostServiceClient(fixture.Channel);
        await hosts.AddHostAsync(new AddHostRequest { RequestId = $"a-{site}", SiteId = site, Name = "worker-0", Personality = HostPersonality.Worker, Vcpus = 4, MemoryMib = 4096, DiskGib = 10 }, fixture.Admin);
        var overGrpc = await hosts.GetHostAsync(new GetHostRequest { SiteId = site, Name = "worker-0" }, fixture.Admin);

        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{fixture.Port + 1}/v1/sites/{site}/hosts/worker-0");
        request.Headers.Authorization = new("Bearer", fixture.Issuer.Issue("json", Security.EdgeRole.Reader, []).Token);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        using var anonymous = await http.GetAsync($"http://127.0.0.1:{fixture.Port + 1}/v1/sites/{site}/hosts/worker-0");

        Assert.True(response.IsSuccessStatusCode, body);
        Assert.Equal(overGrpc, JsonParser.Default.Parse<Protos.Host>(body));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }
}
