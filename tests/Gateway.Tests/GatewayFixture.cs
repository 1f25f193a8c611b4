using Edge.Actors.TestSupport;
using System.Net;
using System.Security.Cryptography;
using Edge.Actors.EventStore;
using Edge.Actors.EventStore.Sqlite;
using Edge.Actors.Gateway.Security;
using Edge.Actors.Silo;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace Edge.Actors.Gateway.Tests;

/// <summary>A silo with its co-hosted gateway on free loopback ports, grains event-sourced into a SQLite store, and tokens for every role.</summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("edge-gateway-");
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private WebApplication? _app;
    private IEventStore? _store;

    public IEventStore Store => _store ?? throw new InvalidOperationException("not started");

    public GrpcChannel Channel { get; private set; } = null!;

    public int Port { get; private set; }

    public TokenIssuer Issuer => new(new SymmetricSecurityKey(_key), TimeProvider.System);

    public Metadata As(EdgeRole role, params string[] sites) => Bearer(Issuer.Issue($"test-{role}", role, sites).Token);

    public static Metadata Bearer(string token) => new() { { "Authorization", $"Bearer {token}" } };

    public Metadata Admin => As(EdgeRole.Admin);

    /// <summary>The co-hosted silo's grains, for what no API method does (a device event comes from the MQTT bridge).</summary>
    public IGrainFactory Grains => (_app ?? throw new InvalidOperationException("not started")).Services.GetRequiredService<IGrainFactory>();

    public async Task InitializeAsync()
    {
        _store = await SqliteEventStore.OpenAsync(Path.Combine(_folder.FullName, "events.db"));
        Port = LoopbackPorts.FreePair();
        var gateway = new GatewaySettings { Port = Port, SigningKey = Convert.ToBase64String(_key), KeyFolder = _folder.FullName };
        var settings = new SiloSettings(_folder.FullName, null, false, $"gw-{Guid.NewGuid():N}", IPAddress.Loopback, LoopbackPorts.Free(), LoopbackPorts.Free(), gateway);
        var builder = WebApplication.CreateSlimBuilder();
        builder.AddEdgeSilo(settings, _store);
        builder.AddEdgeGateway(gateway);
        _app = builder.Build();
        _app.MapEdgeGateway();
        await _app.StartAsync();
        Channel = GrpcChannel.ForAddress($"http://127.0.0.1:{Port}");
    }

    public async Task DisposeAsync()
    {
        Channel?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        _folder.Delete(recursive: true);
    }

}

[CollectionDefinition(Name)]
public sealed class GatewayGroup : ICollectionFixture<GatewayFixture>
{
    public const string Name = "gateway";
}
