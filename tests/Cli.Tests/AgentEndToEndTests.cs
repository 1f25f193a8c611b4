using System.Diagnostics;
using System.Globalization;
using Edge.Actors.Gateway.Protos;
using Edge.Actors.TestSupport;
using Grpc.Core;
using Grpc.Net.Client;

namespace Edge.Actors.Cli.Tests;

/// <summary>The real host agent, as a process on this machine, against a real silo: it registers this host and keeps it available until it dies.</summary>
public sealed class AgentEndToEndTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private static readonly string AgentProgram = Path.Combine(AppContext.BaseDirectory, "agent", "edge-agent.dll");

    private static long MemTotalMiB() =>
        long.Parse(File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;

    [Fact]
    public Task Agent_RegistersThisHostWithItsRealFigures_KeepsItAvailable_AndWhenKilledTheHostFailsWithinASecondAndAHalf() =>
        RunAgentThenKillItAsync("agent-site", "agent-host");

    [Fact]
    public Task Agent_PulsingOverMqtt_KeepsItsHostAvailable_AndWhenKilledTheHostFailsWithinASecondAndAHalf() =>
        RunAgentThenKillItAsync("mqtt-site", SiloProcess.MqttAgent, "--transport", "mqtt", "--mqtt-broker", $"127.0.0.1:{gateway.Silo.MqttPort}", "--mqtt-password", SiloProcess.MqttAgentPassword);

    private async Task RunAgentThenKillItAsync(string site, string name, params string[] transport)
    {
        await gateway.OkAsync("site", "create", site);
        using var channel = GrpcChannel.ForAddress(gateway.Endpoint);
        var hosts = new HostService.HostServiceClient(channel);
        var auth = new Metadata { { "authorization", $"Bearer {(await File.ReadAllTextAsync(gateway.Silo.AdminTokenFile)).Trim()}" } };
        Task<Gateway.Protos.Host> HostAsync() => hosts.GetHostAsync(new GetHostRequest { SiteId = site, Name = name }, auth).ResponseAsync;

        using var agent = Process.Start(new ProcessStartInfo("dotnet")
        {
            ArgumentList = { AgentProgram, "--site", site, "--name", name, "--gateway", gateway.Endpoint, "--token-file", gateway.Silo.AdminTokenFile },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }.WithArguments(transport))!;
        agent.OutputDataReceived += (_, _) => { };
        agent.ErrorDataReceived += (_, _) => { };
        agent.BeginOutputReadLine();
        agent.BeginErrorReadLine();
        try
        {
            var available = await Eventually.MatchAsync(
                async () =>
                {
                    try
                    {
                        return await HostAsync();
                    }
                    catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
                    {
                        return null;
                    }
                },
                h => h?.Availability == Availability.Available,
                TimeSpan.FromSeconds(60),
                "the agent's host available");
            Assert.Equal(Environment.ProcessorCount * 1000L, available!.Capacity.MilliCpu);
            Assert.Equal(MemTotalMiB(), available.Capacity.MemoryMib);
            Assert.Equal(AdministrativeState.Unlocked, available.Administrative);

            // Watched once its pulses reached the detector; from then on its silence is a failure.
            var agents = new HostAgentService.HostAgentServiceClient(channel);
            await Eventually.MatchAsync(
                () => agents.GetPulseStatusAsync(new GetPulseStatusRequest { SiteId = site }, auth).ResponseAsync,
                s => s.Hosts.Any(h => h.Host == name && h.Health == "HEALTHY"),
                TimeSpan.FromSeconds(10),
                "the host's pulses watched");
            var killed = Stopwatch.StartNew();
            agent.Kill();
            var failed = await Eventually.MatchAsync(() => HostAsync(), h => h.Availability == Availability.Failed, TimeSpan.FromSeconds(10), "the host failed");
            var elapsed = killed.Elapsed;

            Assert.True(elapsed < TimeSpan.FromSeconds(1.5), $"the host failed {elapsed.TotalMilliseconds:0} ms after its agent was killed");
            Assert.Equal(OperationalState.Disabled, failed.Operational);
        }
        finally
        {
            if (!agent.HasExited)
            {
                agent.Kill();
            }

            await agent.WaitForExitAsync();
        }
    }
}

internal static class StartInfoExtensions
{
    public static ProcessStartInfo WithArguments(this ProcessStartInfo start, IEnumerable<string> arguments)
    {
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }
}
