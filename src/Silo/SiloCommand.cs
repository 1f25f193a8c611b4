using System.CommandLine;
using System.Net;

namespace Edge.Actors.Silo;

/// <summary>
/// The silo's command line. Each flag may also come from configuration or the environment (<c>Edge:Postgres</c>,
/// <c>Edge__Postgres</c>); a flag given on the command line wins.
/// </summary>
internal static class SiloCommand
{
    public static RootCommand Create(Func<SiloSettings, CancellationToken, Task<int>> run)
    {
        var data = new Option<string>("--data") { Description = $"Folder of the embedded SQLite event store (also {SiloSettings.DataFolderKey}); default ./data" };
        var postgres = new Option<string>("--postgres") { Description = $"PostgreSQL connection string: event store, clustering and reminders on PostgreSQL (also {SiloSettings.PostgresKey})" };
        var demo = new Option<bool>("--demo") { Description = "Seed a demo region (3 sites with hosts, a storage pool, VMs and pods); seeding again changes nothing" };
        var clusterId = new Option<string>("--cluster-id") { Description = $"Orleans cluster id; silos with the same id and database form one cluster (also {SiloSettings.ClusterIdKey}); default edge" };
        var advertise = new Option<string>("--advertise") { Description = "Address other silos and clients reach this silo on; default 127.0.0.1", DefaultValueFactory = _ => "127.0.0.1" };
        var siloPort = Port("--silo-port", 11111, "Port for silo-to-silo traffic");
        var gatewayPort = Port("--gateway-port", 30000, "Port Orleans clients connect to");
        var grpcPort = Port("--grpc-port", 5080, "Port of the gRPC API; its HTTP/JSON view is on the next port when serving cleartext");
        var grpcAddress = new Option<string>("--grpc-address") { Description = "Address the gRPC API listens on; default 127.0.0.1", DefaultValueFactory = _ => "127.0.0.1" };
        var tlsCert = new Option<string>("--tls-cert") { Description = "PEM certificate for the gRPC API (also Edge:Gateway:TlsCertificateFile)" };
        var tlsKey = new Option<string>("--tls-key") { Description = "PEM private key of --tls-cert (also Edge:Gateway:TlsKeyFile)" };
        var allowInsecure = new Option<bool>("--allow-insecure") { Description = "Serve a non-loopback --grpc-address without TLS" };
        grpcAddress.Validators.Add(result =>
        {
            if (!IPAddress.TryParse(result.GetValueOrDefault<string>(), out _))
            {
                result.AddError("--grpc-address must be an IP address");
            }
        });
        advertise.Validators.Add(result =>
        {
            if (!IPAddress.TryParse(result.GetValueOrDefault<string>(), out _))
            {
                result.AddError("--advertise must be an IP address");
            }
        });

        var mqttPort = Port("--mqtt-port", 1883, "MQTT port: of the embedded broker on 127.0.0.1, or of --mqtt-broker; 0 runs no MQTT bridge");
        var mqttBroker = new Option<string>("--mqtt-broker") { Description = "Host of an external MQTT broker (e.g. Mosquitto) instead of the embedded one (also Edge:Mqtt:BrokerHost; credentials in Edge:Mqtt:Username/Password)" };
        var mqttSite = new Option<string>("--mqtt-site") { Description = "The site whose EdgeX devices the MQTT bridge serves (also Edge:Mqtt:Site); default local" };
        var root = new RootCommand("Edge.Actors silo: runs the control plane's grains for a site") { data, postgres, demo, clusterId, advertise, siloPort, gatewayPort, grpcAddress, grpcPort, tlsCert, tlsKey, allowInsecure, mqttPort, mqttBroker, mqttSite };
        root.SetAction((parse, cancellationToken) =>
        {
            var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
            string? Pick(Option<string> flag, string key) =>
                parse.GetResult(flag) is not null ? parse.GetValue(flag) : configuration[key] is { Length: > 0 } value ? value : null;

            var dataFolder = Pick(data, SiloSettings.DataFolderKey) ?? "data";
            var settings = new SiloSettings(
                dataFolder,
                Pick(postgres, SiloSettings.PostgresKey),
                parse.GetValue(demo),
                Pick(clusterId, SiloSettings.ClusterIdKey) ?? "edge",
                IPAddress.Parse(parse.GetValue(advertise)!),
                parse.GetValue(siloPort),
                parse.GetValue(gatewayPort),
                new Edge.Actors.Gateway.GatewaySettings
                {
                    Address = IPAddress.Parse(parse.GetValue(grpcAddress)!),
                    Port = parse.GetValue(grpcPort),
                    TlsCertificateFile = Pick(tlsCert, "Edge:Gateway:TlsCertificateFile"),
                    TlsKeyFile = Pick(tlsKey, "Edge:Gateway:TlsKeyFile"),
                    AllowInsecure = parse.GetValue(allowInsecure),
                    SigningKey = configuration["Edge:Gateway:SigningKey"] is { Length: > 0 } key ? key : null,
                    KeyFolder = dataFolder,
                })
            {
                Mqtt = parse.GetValue(mqttPort) == 0 ? null : new Edge.Actors.Mqtt.Bridge.MqttSettings
                {
                    BrokerHost = Pick(mqttBroker, "Edge:Mqtt:BrokerHost"),
                    Port = parse.GetValue(mqttPort),
                    Site = Pick(mqttSite, "Edge:Mqtt:Site") ?? "local",
                    StateFolder = dataFolder,
                    Username = configuration["Edge:Mqtt:Username"],
                    Password = configuration["Edge:Mqtt:Password"],
                    UseTls = string.Equals(configuration["Edge:Mqtt:UseTls"], "true", StringComparison.OrdinalIgnoreCase),
                    Devices = configuration.GetSection("Edge:Mqtt:Devices").GetChildren().ToDictionary(c => c.Key, c => c.Value ?? string.Empty, StringComparer.Ordinal),
                    Monitors = configuration.GetSection("Edge:Mqtt:Monitors").GetChildren().ToDictionary(c => c.Key, c => c.Value ?? string.Empty, StringComparer.Ordinal),
                    Agents = configuration.GetSection("Edge:Mqtt:Agents").GetChildren().ToDictionary(c => c.Key, c => c.Value ?? string.Empty, StringComparer.Ordinal),
                },
            };
            return run(settings, cancellationToken);
        });
        return root;
    }

    private static Option<int> Port(string name, int defaultValue, string description)
    {
        var option = new Option<int>(name) { Description = $"{description}; default {defaultValue}", DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(result =>
        {
            // Only a number out of range is this validator's; a value that is not a number is the parser's to report.
            if (result.Tokens is [{ Value: var text }] && int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var port) && port is < 1 or > 65535)
            {
                result.AddError($"{name} must be a port number, 1-65535");
            }
        });
        return option;
    }
}
