using Edge.Actors.TestSupport;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace Edge.Actors.Silo.Tests;

/// <summary>The real silo program as a child process, its output captured line by line; killed with SIGKILL on dispose.</summary>
internal sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private SiloProcess(Process process, int siloPort, int gatewayPort)
    {
        _process = process;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
        _process.OutputDataReceived += (_, e) => Capture(e.Data);
        _process.ErrorDataReceived += (_, e) => Capture(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int SiloPort { get; }

    public int GatewayPort { get; }

    public string Output => string.Join('\n', _lines);

    public int ExitCode => _process.ExitCode;

    /// <summary>Starts the silo with <paramref name="arguments"/> plus free silo and gateway ports.</summary>
    public static SiloProcess Start(params string[] arguments) => Start(LoopbackPorts.Free(), LoopbackPorts.Free(), arguments);

    /// <summary>
    /// Starts the silo on the given ports: a silo restarted on its address supersedes its dead entry in the membership
    /// table at once (a newer generation on the same endpoint), as a controller's silo does when it comes back.
    /// </summary>
    public static SiloProcess Start(int siloPort, int gatewayPort, params string[] arguments) =>
        Start(siloPort, gatewayPort, new Dictionary<string, string>(), arguments);

    /// <summary>
    /// The same, with <paramref name="environment"/> added to its environment (e.g. <c>Edge__Mqtt__Password</c>); its
    /// MQTT bridge gets an embedded broker on a free port unless <paramref name="arguments"/> name <c>--mqtt-port</c>.
    /// </summary>
    public static SiloProcess Start(int siloPort, int gatewayPort, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Edge.Actors.Silo.dll"));
        string[] mqtt = arguments.Contains("--mqtt-port") ? [] : ["--mqtt-port", $"{LoopbackPorts.Free()}"];
        foreach (var argument in arguments.Concat(["--silo-port", $"{siloPort}", "--gateway-port", $"{gatewayPort}", "--grpc-port", $"{LoopbackPorts.FreePair()}", .. mqtt]))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return new SiloProcess(Process.Start(start)!, siloPort, gatewayPort);
    }

    /// <summary>Starts the silo with exactly <paramref name="arguments"/> and waits for it to exit (for start-up failures).</summary>
    public static async Task<SiloProcess> RunToExitAsync(TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Edge.Actors.Silo.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var silo = new SiloProcess(Process.Start(start)!, 0, 0);
        using var cancel = new CancellationTokenSource(timeout);
        await silo._process.WaitForExitAsync(cancel.Token);
        // The exit is seen before the last redirected lines are delivered; this waits for the streams to close.
        silo._process.WaitForExit();
        return silo;
    }

    private void Capture(string? line)
    {
        if (line is not null)
        {
            _lines.Enqueue(line);
        }
    }

    /// <summary>Waits until a captured line contains <paramref name="text"/>; fails naming it, with the output so far.</summary>
    public async Task WaitForLogAsync(string text, TimeSpan timeout)
    {
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        var deadline = DateTime.UtcNow + timeout;
        while (!_lines.Any(line => line.Contains(text, StringComparison.Ordinal)))
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"silo did not log '{text}' within {timeout} (exited: {_process.HasExited}); output:\n{Output}");
            }

            await poll.WaitForNextTickAsync();
        }
    }

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>An Orleans client connected to this silo's gateway only.</summary>
    public async Task<(IHost Host, IClusterClient Client)> ConnectAsync(string clusterId = "edge")
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client =>
        {
            client.UseStaticClustering(new IPEndPoint(IPAddress.Loopback, GatewayPort));
            client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, SiloSettings.ServiceId));
        });
        var host = builder.Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await host.StartAsync(timeout.Token);
        return (host, host.Services.GetRequiredService<IClusterClient>());
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }
}
