using Edge.Actors.TestSupport;
using Edge.Actors.EventStore;
using Edge.Actors.Grains.Common;
using Edge.Actors.Grains.EventSourcing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace Edge.Actors.InventoryBench;

/// <summary>
/// An in-process Orleans silo wired the way the real silo is (localhost clustering, every grain event-sourced into
/// the given store with the domain events registered), on free loopback ports. Commands go through the grain
/// factory of the silo itself, so calls are local, as the co-hosted gateway makes them.
/// </summary>
internal sealed class BenchSilo : IAsyncDisposable
{
    private readonly IHost _host;

    private BenchSilo(IHost host)
    {
        _host = host;
        Grains = host.Services.GetRequiredService<IGrainFactory>();
    }

    public IGrainFactory Grains { get; }

    public static async Task<BenchSilo> StartAsync(IEventStore store, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = AppContext.BaseDirectory });
        // Warnings and errors only: a snapshot that failed or an append retried is worth seeing, routine start-up is not.
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var siloPort = LoopbackPorts.Free();
        var gatewayPort = LoopbackPorts.Free();
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: "edge-inventory-bench", clusterId: $"bench-{Guid.NewGuid():N}");
            silo.AddEdgeEventSourcing(store, DomainEvents.Register);
            // Everything created stays activated for the whole run (the memory part counts activated grains).
            silo.Configure<GrainCollectionOptions>(o => o.CollectionAge = TimeSpan.FromHours(1));
        });
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken);
            return new BenchSilo(host);
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    /// <summary>How many grains are activated in the silo (every kind, Orleans' own system grains included).</summary>
    public async Task<int> ActivationCountAsync()
    {
        var management = Grains.GetGrain<IManagementGrain>(0);
        return await management.GetTotalActivationCount();
    }

    public async ValueTask DisposeAsync()
    {
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await _host.StopAsync(stopping.Token);
        }
        finally
        {
            _host.Dispose();
        }
    }

}
