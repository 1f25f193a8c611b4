using Edge.Actors.TestSupport;
using System.Security.Cryptography;
using Edge.Actors.EventStore;
using Edge.Actors.EventStore.Sqlite;
using Edge.Actors.Gateway;
using Edge.Actors.Gateway.Security;
using Edge.Actors.Grains.Common;
using Edge.Actors.Grains.EventSourcing;
using Microsoft.IdentityModel.Tokens;
using Orleans.Configuration;

namespace Edge.Actors.GatewayBench;

/// <summary>
/// One WebApplication wired as the real silo program wires it (an Orleans silo on localhost clustering with every grain
/// event-sourced into SQLite, the co-hosted gateway via AddEdgeGateway/MapEdgeGateway) plus the echo baseline mapped
/// into the same app, so both sides share Kestrel's HTTP/2 endpoint, the gRPC pipeline (interceptors included) and JWT
/// bearer authentication with RequireAuthorization. Silo settings are internal to the silo program; this repeats
/// AddEdgeSilo's Orleans wiring (localhost clustering, event sourcing, membership probes) without its hosted services.
/// </summary>
internal sealed class BenchServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly IEventStore _store;
    private readonly DirectoryInfo _folder;

    private BenchServer(WebApplication app, IEventStore store, DirectoryInfo folder, int port, string adminToken)
    {
        _app = app;
        _store = store;
        _folder = folder;
        Port = port;
        AdminToken = adminToken;
        Grains = app.Services.GetRequiredService<IGrainFactory>();
    }

    public int Port { get; }

    public string AdminToken { get; }

    public IGrainFactory Grains { get; }

    public static async Task<BenchServer> StartAsync(CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("edge-gateway-bench-");
        var store = await SqliteEventStore.OpenAsync(Path.Combine(folder.FullName, "events.db"), cancellationToken: cancellationToken);
        try
        {
            var key = RandomNumberGenerator.GetBytes(32);
            var port = LoopbackPorts.FreePair();
            var gateway = new GatewaySettings { Port = port, SigningKey = Convert.ToBase64String(key), KeyFolder = folder.FullName };
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
            builder.Logging.ClearProviders();
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            var siloPort = LoopbackPorts.Free();
            var gatewayPort = LoopbackPorts.Free();
            builder.UseOrleans(silo =>
            {
                silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: "edge-actors", clusterId: $"bench-{Guid.NewGuid():N}");
                silo.AddEdgeEventSourcing(store, DomainEvents.Register);
                silo.Configure<ClusterMembershipOptions>(options =>
                {
                    options.ProbeTimeout = TimeSpan.FromSeconds(1);
                    options.NumMissedProbesLimit = 3;
                });
            });
            builder.AddEdgeGateway(gateway);
            var app = builder.Build();
            app.MapEdgeGateway();
            app.MapGrpcService<EchoApi>().RequireAuthorization();
            await app.StartAsync(cancellationToken);
            var token = new TokenIssuer(new SymmetricSecurityKey(key), TimeProvider.System).Issue("bench-admin", EdgeRole.Admin, []).Token;
            return new BenchServer(app, store, folder, port, token);
        }
        catch
        {
            await store.DisposeAsync();
            folder.Delete(recursive: true);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await _app.StopAsync(stopping.Token);
        }
        finally
        {
            await _app.DisposeAsync();
            await _store.DisposeAsync();
            _folder.Delete(recursive: true);
        }
    }

}
