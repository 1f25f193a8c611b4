// Edge.Actors.GatewayBench owns the gateway's unary read benchmark: HostService.GetHost calls/s and latency through the
// co-hosted gateway, against a trivial echo gRPC method served by the same Kestrel endpoint with the same authentication.
using System.Globalization;
using System.Runtime.InteropServices;
using Edge.Actors.Abstractions;
using Edge.Actors.GatewayBench;
using Edge.Actors.GatewayBench.Protos;
using Edge.Actors.TestSupport;
using Grpc.Core;
using Grpc.Net.Client;
using Gw = Edge.Actors.Gateway.Protos;

// Concurrent callers, each awaiting its call before the next, spread round-robin over the channels.
const int Callers = 64;
const string SiteId = "bench";
const string HostName = "host-1";
var inv = CultureInfo.InvariantCulture;

if (!TryParseArguments(args, out var seconds, out var warmUpSeconds, out var channelCount))
{
    Console.Error.WriteLine("usage: Edge.Actors.GatewayBench [--seconds N] [--warmup N] [--channels N]   (seconds per round, default 5; warm-up seconds per side, default 15; GrpcChannels, default 4)");
    return 2;
}

var warmUp = TimeSpan.FromSeconds(warmUpSeconds);

var perRound = TimeSpan.FromSeconds(seconds);
return await Benchmark.RunAsync(RunAsync);

async Task<int> RunAsync(CancellationToken cancellationToken)
{
    Console.WriteLine(string.Create(inv, $"gateway GetHost benchmark: {Environment.ProcessorCount} cores, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, server GC {System.Runtime.GCSettings.IsServerGC}"));
    Console.WriteLine(string.Create(inv, $"{Callers} callers over {channelCount} GrpcChannel(s), h2c to 127.0.0.1, admin bearer token on every call; client and server in this one process"));
    Console.WriteLine(string.Create(inv, $"warm-up {warmUp.TotalSeconds:0.##} s per side, then rounds of {perRound.TotalSeconds:0.##} s in the order baseline, gateway, gateway, baseline"));
    Console.WriteLine("gateway  = edge.v1.HostService/GetHost (silo co-hosted in-process: host.GetAsync then site.DescribeHostAsync)");
    Console.WriteLine("baseline = edge.bench.EchoService/Echo mapped in the same WebApplication: same Kestrel HTTP/2 endpoint, gRPC options and interceptor, JWT bearer + RequireAuthorization");
    Console.WriteLine($"load average at start: {LoadAverage()}");

    await using var server = await BenchServer.StartAsync(cancellationToken);
    var channels = Enumerable.Range(0, channelCount)
        .Select(_ => GrpcChannel.ForAddress($"http://127.0.0.1:{server.Port}", new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true } }))
        .ToArray();
    try
    {
        var auth = new Metadata { { "Authorization", $"Bearer {server.AdminToken}" } };
        var hosts = channels.Select(c => new Gw.HostService.HostServiceClient(c)).ToArray();
        var echoes = channels.Select(c => new EchoService.EchoServiceClient(c)).ToArray();

        // A real host for GetHost to return: a site, a host added to it, unlocked.
        var sites = new Gw.SiteService.SiteServiceClient(channels[0]);
        await sites.CreateSiteAsync(new Gw.CreateSiteRequest { RequestId = "bench-site", SiteId = SiteId, Description = "gateway bench", Location = "loopback" }, auth, cancellationToken: cancellationToken);
        await hosts[0].AddHostAsync(new Gw.AddHostRequest { RequestId = "bench-add", SiteId = SiteId, Name = HostName, Personality = Gw.HostPersonality.Worker, Vcpus = 32, MemoryMib = 65536, DiskGib = 1000 }, auth, cancellationToken: cancellationToken);
        await hosts[0].UnlockHostAsync(new Gw.HostCommandRequest { RequestId = "bench-unlock", SiteId = SiteId, Name = HostName }, auth, cancellationToken: cancellationToken);
        var host = await hosts[0].GetHostAsync(new Gw.GetHostRequest { SiteId = SiteId, Name = HostName }, auth, cancellationToken: cancellationToken);
        Console.WriteLine($"host under test: {host}");
        Console.WriteLine(string.Create(inv, $"reply sizes: GetHost {host.CalculateSize()} bytes, Echo {new EchoReply { SiteId = SiteId, Name = HostName }.CalculateSize()} bytes"));

        // For a diagnostic only: one host per caller, so that no two calls queue on the same (non-reentrant) host grain.
        var spread = new Gw.GetHostRequest[Callers];
        for (var i = 0; i < Callers; i++)
        {
            var name = $"spread-{i}";
            await hosts[0].AddHostAsync(new Gw.AddHostRequest { RequestId = $"add-{name}", SiteId = SiteId, Name = name, Personality = Gw.HostPersonality.Worker, Vcpus = 32, MemoryMib = 65536, DiskGib = 1000 }, auth, cancellationToken: cancellationToken);
            await hosts[0].UnlockHostAsync(new Gw.HostCommandRequest { RequestId = $"unlock-{name}", SiteId = SiteId, Name = name }, auth, cancellationToken: cancellationToken);
            spread[i] = new Gw.GetHostRequest { SiteId = SiteId, Name = name };
        }

        var getHost = new Gw.GetHostRequest { SiteId = SiteId, Name = HostName };
        var echo = new EchoRequest { SiteId = SiteId, Name = HostName };
        Task Gateway(int caller, CancellationToken ct) => hosts[caller % hosts.Length].GetHostAsync(getHost, auth, cancellationToken: ct).ResponseAsync;
        Task Baseline(int caller, CancellationToken ct) => echoes[caller % echoes.Length].EchoAsync(echo, auth, cancellationToken: ct).ResponseAsync;

        Console.WriteLine();
        await RoundRunner.RunAsync(Baseline, "baseline", 0, Callers, TimeSpan.Zero, warmUp, cancellationToken);
        await RoundRunner.RunAsync(Gateway, "gateway", 0, Callers, TimeSpan.Zero, warmUp, cancellationToken);
        Console.WriteLine("warm-up done");

        var gatewayRounds = new List<RoundResult>();
        var baselineRounds = new List<RoundResult>();
        foreach (var sideName in new[] { "baseline", "gateway", "gateway", "baseline" })
        {
            var (call, rounds) = sideName == "gateway" ? (Gateway, gatewayRounds) : ((Func<int, CancellationToken, Task>)Baseline, baselineRounds);
            var result = await RoundRunner.RunAsync(call, sideName, rounds.Count + 1, Callers, TimeSpan.Zero, perRound, cancellationToken);
            rounds.Add(result);
            PrintRound(result);
        }

        // Where the time goes: the gateway's two grain calls made directly through the silo's grain factory, no gRPC.
        Console.WriteLine();
        Console.WriteLine("diagnostics (1 s warm-up and one round each, not part of the result): echo and GetHost again, GetHost spread over one host per caller, the grain calls GetHost makes from an echo method (gRPC, no gateway mapping) and straight through the in-process IGrainFactory");
        var hostGrain = server.Grains.GetGrain<IHostGrain>(ResourceNames.Key(SiteId, HostName));
        var siteGrain = server.Grains.GetGrain<ISiteGrain>(SiteId);
        async Task BothGrains(int caller, CancellationToken ct)
        {
            var view = await hostGrain.GetAsync(ct);
            await siteGrain.DescribeHostAsync(view.Name, ct);
        }

        Task HostOnly(int caller, CancellationToken ct) => hostGrain.GetAsync(ct);
        Task SiteOnly(int caller, CancellationToken ct) => siteGrain.DescribeHostAsync(HostName, ct);
        Task ViaGrains(int caller, CancellationToken ct) => echoes[caller % echoes.Length].EchoViaGrainsAsync(echo, auth, cancellationToken: ct).ResponseAsync;
        Task Spread(int caller, CancellationToken ct) => hosts[caller % hosts.Length].GetHostAsync(spread[caller], auth, cancellationToken: ct).ResponseAsync;
        foreach (var (name, call) in new (string, Func<int, CancellationToken, Task>)[] { ("grpc:Echo", Baseline), ("grpc:GetHost", Gateway), ("grpc:GetHost 64 hosts", Spread), ("grpc:EchoViaGrains", ViaGrains), ("grains:host+site", BothGrains), ("grains:host.GetAsync", HostOnly), ("grains:site.DescribeHost", SiteOnly) })
        {
            await RoundRunner.RunAsync(call, name, 0, Callers, TimeSpan.Zero, TimeSpan.FromSeconds(1), cancellationToken);
            var result = await RoundRunner.RunAsync(call, name, 1, Callers, TimeSpan.Zero, perRound, cancellationToken);
            PrintRound(result);
        }

        var value = gatewayRounds.Max(r => r.CallsPerSecond);
        var baseline = baselineRounds.Max(r => r.CallsPerSecond);
        var gatewaySorted = Latency.Merge(gatewayRounds);
        var baselineSorted = Latency.Merge(baselineRounds);
        Console.WriteLine();
        Console.WriteLine("calls/s is the better round per side; latencies over all of a side's rounds");
        Console.WriteLine(string.Create(inv, $"{"side",-10} {"callers",7} {"rounds calls/s",17} {"calls/s",9} {"p50 ms",8} {"p99 ms",8} {"ratio",6}"));
        Console.WriteLine(new string('-', 70));
        foreach (var (sideName, rounds, best, sorted) in new[] { ("gateway", gatewayRounds, value, gatewaySorted), ("baseline", baselineRounds, baseline, baselineSorted) })
        {
            var perRoundText = string.Join(" / ", rounds.Select(r => r.CallsPerSecond.ToString("0", inv)));
            var ratio = sideName == "gateway" ? (value / baseline).ToString("0.00", inv) : string.Empty;
            Console.WriteLine(string.Create(inv,
                $"{sideName,-10} {Callers,7} {perRoundText,17} {best,9:0} {Latency.PercentileMs(sorted, 0.50),8:0.00} {Latency.PercentileMs(sorted, 0.99),8:0.00} {ratio,6}"));
        }

        Console.WriteLine($"load average at end: {LoadAverage()}");
        Console.WriteLine();
        Console.WriteLine(string.Create(inv, $"RESULT gateway.get_host value={Math.Round(value):0} baseline={Math.Round(baseline):0} ratio={value / baseline:0.00}"));
        Console.WriteLine(string.Create(inv, $"RESULT gateway.get_host_p99_ms value={Latency.PercentileMs(gatewaySorted, 0.99):0.00}"));
        return 0;
    }
    finally
    {
        foreach (var channel in channels)
        {
            channel.Dispose();
        }
    }
}

void PrintRound(RoundResult result)
{
    var sorted = Latency.Merge([result]);
    Console.WriteLine(string.Create(inv,
        $"   round {result.Round} {result.Side,-24} {result.CallsPerSecond,8:0} calls/s  p50 {Latency.PercentileMs(sorted, 0.50),7:0.00} ms  p99 {Latency.PercentileMs(sorted, 0.99),7:0.00} ms  ({result.Calls} calls in window)"));
}

static bool TryParseArguments(string[] args, out double seconds, out double warmUp, out int channels)
{
    seconds = 5;
    // Tiered JIT needs many seconds of load to reach its final code; a short warm-up favours whichever side runs last.
    warmUp = 15;
    channels = 4;
    for (var i = 0; i < args.Length; i++)
    {
        if (args[i] is "--seconds" or "--warmup" && i + 1 < args.Length
            && double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            && double.IsFinite(value) && value > 0)
        {
            if (args[i] == "--seconds")
            {
                seconds = value;
            }
            else
            {
                warmUp = value;
            }

            i++;
        }
        else if (args[i] == "--channels" && i + 1 < args.Length
            && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            && count is > 0 and <= Callers)
        {
            channels = count;
            i++;
        }
        else
        {
            return false;
        }
    }

    return true;
}

// Other work on this small machine skews every number; the load average tells the reader whether there was any.
static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
