using Edge.Actors.TestSupport;
using System.Collections.Concurrent;
using System.Diagnostics;

namespace Edge.Actors.Cli.Tests;

/// <summary>
/// The real silo program as a child process on free loopback ports, its output captured line by line; killed with
/// SIGKILL on dispose. Its gRPC gateway is at <see cref="Endpoint"/>, and on first start it writes an admin token to
/// <see cref="AdminTokenFile"/>.
/// </summary>
internal sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    /// <summary>The host agent that may send heartbeats over MQTT to this silo's embedded broker, and its password.</summary>
    public const string MqttAgent = "mqtt-agent-host";
    public const string MqttAgentPassword = "agent-secret";

    /// <summary>A device that may publish its own EdgeX events to the embedded broker.</summary>
    public const string MqttDevice = "thermo-1";
    public const string MqttDevicePassword = "thermo-secret";

    /// <summary>A second device, for tests that need one of their own (a short offline window).</summary>
    public const string MqttQuietDevice = "beacon-1";
    public const string MqttQuietDevicePassword = "beacon-secret";

    /// <summary>Every device's password, by device name.</summary>
    public static readonly IReadOnlyDictionary<string, string> MqttDevices = new Dictionary<string, string> { [MqttDevice] = MqttDevicePassword, [MqttQuietDevice] = MqttQuietDevicePassword };

    /// <summary>A monitoring system that may subscribe to the platform's MQTT topics.</summary>
    public const string MqttMonitor = "monitor";
    public const string MqttMonitorPassword = "monitor-secret";

    private SiloProcess(Process process, string dataFolder, int grpcPort, int mqttPort)
    {
        _process = process;
        GrpcPort = grpcPort;
        MqttPort = mqttPort;
        AdminTokenFile = Path.Combine(dataFolder, "admin.token");
        _process.OutputDataReceived += (_, e) => Capture(e.Data);
        _process.ErrorDataReceived += (_, e) => Capture(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int GrpcPort { get; }

    /// <summary>The embedded MQTT broker's port on 127.0.0.1.</summary>
    public int MqttPort { get; }

    public string Endpoint => $"http://127.0.0.1:{GrpcPort}";

    public string AdminTokenFile { get; }

    public string Output => string.Join('\n', _lines);

    /// <summary>
    /// Starts <c>dotnet Edge.Actors.Silo.dll --data <paramref name="dataFolder"/></c> with free silo, gateway and gRPC
    /// ports, and its embedded MQTT broker on a free port unless <paramref name="externalBroker"/> names another
    /// (host, port, and the bridge's user name and password).
    /// </summary>
    public static SiloProcess Start(string dataFolder, (string Host, int Port, string User, string Password)? externalBroker = null)
    {
        var grpcPort = LoopbackPorts.FreePair();
        var mqttPort = externalBroker?.Port ?? LoopbackPorts.Free();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Edge.Actors.Silo.dll"));
        foreach (var argument in new[]
        {
            "--data", dataFolder,
            "--silo-port", $"{LoopbackPorts.Free()}",
            "--gateway-port", $"{LoopbackPorts.Free()}",
            "--grpc-port", $"{grpcPort}",
            "--mqtt-port", $"{mqttPort}",
        })
        {
            start.ArgumentList.Add(argument);
        }

        if (externalBroker is { } broker)
        {
            start.ArgumentList.Add("--mqtt-broker");
            start.ArgumentList.Add(broker.Host);
            start.Environment["Edge__Mqtt__Username"] = broker.User;
            start.Environment["Edge__Mqtt__Password"] = broker.Password;
        }

        start.Environment[$"Edge__Mqtt__Agents__{MqttAgent}"] = MqttAgentPassword;
        start.Environment[$"Edge__Mqtt__Monitors__{MqttMonitor}"] = MqttMonitorPassword;
        foreach (var (device, password) in MqttDevices)
        {
            start.Environment[$"Edge__Mqtt__Devices__{device}"] = password;
        }

        return new SiloProcess(Process.Start(start)!, dataFolder, grpcPort, mqttPort);
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

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Capture(string? line)
    {
        if (line is not null)
        {
            _lines.Enqueue(line);
        }
    }
}
