// Edge.Actors.Gateway owns the gRPC API (and its HTTP/JSON view): request mapping, errors, tokens and roles,
// and the event watch; it runs co-hosted in a silo or, as this program, alone as an Orleans client of a
// PostgreSQL-clustered site.
using System.CommandLine;
using System.Net;
using Edge.Actors.EventStore;
using Edge.Actors.EventStore.Postgres;
using Edge.Actors.Gateway;
using Orleans.Configuration;

var postgres = new Option<string>("--postgres") { Description = "PostgreSQL connection string of the cluster (membership and event store); also Edge:Postgres", Required = false };
var clusterId = new Option<string>("--cluster-id") { Description = "Orleans cluster id of the silos; default edge", DefaultValueFactory = _ => "edge" };
var address = new Option<string>("--grpc-address") { Description = "Address to listen on; default 127.0.0.1", DefaultValueFactory = _ => "127.0.0.1" };
var port = new Option<int>("--grpc-port") { Description = "gRPC port; the HTTP/JSON view is on the next port when serving cleartext; default 5080", DefaultValueFactory = _ => 5080 };
var tlsCert = new Option<string>("--tls-cert") { Description = "PEM certificate" };
var tlsKey = new Option<string>("--tls-key") { Description = "PEM private key of --tls-cert" };
var allowInsecure = new Option<bool>("--allow-insecure") { Description = "Serve a non-loopback address without TLS" };
var keyFolder = new Option<string>("--data") { Description = "Folder for a generated signing key and admin token when Edge:Gateway:SigningKey is unset; default ./data", DefaultValueFactory = _ => "data" };
var root = new RootCommand("Edge.Actors gateway: the gRPC API of a PostgreSQL-clustered site, as an Orleans client") { postgres, clusterId, address, port, tlsCert, tlsKey, allowInsecure, keyFolder };
root.SetAction(async (parse, cancellationToken) =>
{
    var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
    var connectionString = parse.GetValue(postgres) ?? configuration["Edge:Postgres"];
    if (string.IsNullOrWhiteSpace(connectionString))
    {
        await Console.Error.WriteLineAsync("edge-gateway: cannot start: Edge:Postgres (--postgres) is required: the standalone gateway reaches the silos and the event store through PostgreSQL");
        return 2;
    }

    if (!IPAddress.TryParse(parse.GetValue(address), out var listen))
    {
        await Console.Error.WriteLineAsync("edge-gateway: cannot start: --grpc-address must be an IP address");
        return 2;
    }

    IEventStore store;
    try
    {
        store = await PostgresEventStore.OpenAsync(connectionString, cancellationToken: cancellationToken);
    }
    catch (EventStoreStartupException ex)
    {
        await Console.Error.WriteLineAsync($"edge-gateway: cannot start: Edge:Postgres (--postgres): {ex.Message}");
        return 2;
    }

    await using (store)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Services.AddSingleton(store);
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (parse.GetValue(clusterId)!, "edge-actors"));
            client.UseEdgePostgresClustering(connectionString);
        });
        builder.Services.AddSingleton<IGrainFactory>(services => services.GetRequiredService<IClusterClient>());
        try
        {
            builder.AddEdgeGateway(new GatewaySettings
            {
                Address = listen,
                Port = parse.GetValue(port),
                TlsCertificateFile = parse.GetValue(tlsCert) ?? configuration["Edge:Gateway:TlsCertificateFile"],
                TlsKeyFile = parse.GetValue(tlsKey) ?? configuration["Edge:Gateway:TlsKeyFile"],
                AllowInsecure = parse.GetValue(allowInsecure),
                SigningKey = configuration["Edge:Gateway:SigningKey"] is { Length: > 0 } key ? key : null,
                KeyFolder = parse.GetValue(keyFolder)!,
            });
            await using var app = builder.Build();
            app.MapEdgeGateway();
            await app.RunAsync(cancellationToken);
        }
        catch (InvalidOperationException ex) when (ex.Message.StartsWith("Edge:", StringComparison.Ordinal))
        {
            await Console.Error.WriteLineAsync($"edge-gateway: cannot start: {ex.Message}");
            return 2;
        }
    }

    return 0;
});
return await root.Parse(args).InvokeAsync();
