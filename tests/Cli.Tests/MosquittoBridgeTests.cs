using System.Text.Json;
using Edge.Actors.TestSupport;

namespace Edge.Actors.Cli.Tests;

/// <summary>A real silo whose MQTT bridge uses a real Mosquitto (Debian's package) with the ACL of <c>docker/mosquitto</c>.</summary>
public sealed class MosquittoGatewayFixture : GatewayFixture
{
    public const string BridgePassword = "bridge-secret";

    private MosquittoServer? _broker;

    public MosquittoServer Broker => _broker ?? throw new InvalidOperationException("Mosquitto has not started");

    private protected override (string Host, int Port, string User, string Password)? ExternalBroker => (MosquittoServer.Host, Broker.Port, "edge-bridge", BridgePassword);

    public override async Task InitializeAsync()
    {
        var acl = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "docker", "mosquitto", "acl"));
        _broker = await MosquittoServer.StartAsync(
            new Dictionary<string, string> { ["edge-bridge"] = BridgePassword, [SiloProcess.MqttDevice] = SiloProcess.MqttDevicePassword },
            acl);
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Edge.Actors.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("the repository root (Edge.Actors.sln) was not found above the test output");
    }
}

/// <summary>EdgeX events from mosquitto_pub through Mosquitto into the device, across a restart of Mosquitto.</summary>
public sealed class MosquittoBridgeTests(MosquittoGatewayFixture gateway) : IClassFixture<MosquittoGatewayFixture>
{
    private const string Site = "local";
    private static readonly string Device = SiloProcess.MqttDevice;

    private Task<string> PublishAsync(string value) =>
        ProcessRunner.RunAsync("mosquitto_pub", ["-h", MosquittoServer.Host, "-p", $"{gateway.Broker.Port}", "-u", Device, "-P", SiloProcess.MqttDevicePassword, "-q", "1",
            "-t", $"edgex/events/device/modbus/thermo/{Device}/temperature",
            "-m", JsonSerializer.Serialize(new { deviceName = Device, profileName = "thermo", sourceName = "temperature", id = $"{Guid.NewGuid()}", origin = 1L, readings = new[] { new { resourceName = "temperature", valueType = "Float64", value, deviceName = Device, profileName = "thermo", origin = 1L } } })],
            TimeSpan.FromSeconds(30));

    private async Task<string?> TemperatureAsync()
    {
        var device = Json.Parse(await gateway.OkAsync("device", "show", Device, "--site", Site, "--output", "json"));
        return device.TryGetProperty("readings", out var readings) ? readings.EnumerateArray().Select(r => r.Text("value")).FirstOrDefault() : null;
    }

    [Fact]
    public async Task EdgeXEvents_ThroughMosquitto_UpdateTheDevice_BeforeAndAfterMosquittoRestarts()
    {
        await gateway.OkAsync("site", "create", Site);
        await gateway.OkAsync("device", "provision", Device, "--site", Site, "--service", "modbus", "--profile", "thermo");

        await PublishAsync("21.5");
        await Eventually.MatchAsync(TemperatureAsync, t => t == "21.5", TimeSpan.FromSeconds(30), "the reading through Mosquitto");

        await gateway.Broker.RestartAsync();
        await PublishAsync("22.5");

        await Eventually.MatchAsync(TemperatureAsync, t => t == "22.5", TimeSpan.FromSeconds(30), "the reading after Mosquitto restarted");
    }
}
