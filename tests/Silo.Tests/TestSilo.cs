using Edge.Actors.TestSupport;
using System.Net;
using Edge.Actors.Silo.Clustering;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Configuration;

namespace Edge.Actors.Silo.Tests;

/// <summary>A real Orleans silo on PostgreSQL clustering, listening on free loopback ports; stopped gracefully on dispose.</summary>
internal sealed class TestSilo : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly IHost _host;
    private bool _stopped;

    private TestSilo(IHost host, int siloPort)
    {
        _host = host;
        SiloPort = siloPort;
    }

    public int SiloPort { get; }

    public IServiceProvider Services => _host.Services;

    public static async Task<TestSilo> StartAsync(string connectionString, string clusterId, Action<ISiloBuilder>? configure = null)
    {
        var (siloPort, gatewayPort) = (LoopbackPorts.Free(), LoopbackPorts.Free());
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleans(silo =>
        {
            silo.UseEdgePostgresClustering(connectionString);
            silo.Configure<ClusterOptions>(options => (options.ClusterId, options.ServiceId) = (clusterId, clusterId));
            silo.ConfigureEndpoints(IPAddress.Loopback, siloPort, gatewayPort);
            configure?.Invoke(silo);
        });
        var host = builder.Build();
        using var timeout = new CancellationTokenSource(StartTimeout);
        try
        {
            await host.StartAsync(timeout.Token);
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new TestSilo(host, siloPort);
    }

    public static string NewClusterId() => $"cluster-{Guid.NewGuid():N}";

    /// <summary>The membership rows of a cluster as (silo port, status), straight from the table.</summary>
    public static async Task<List<(int Port, int Status)>> ReadMembershipAsync(string connectionString, string clusterId)
    {
        var rows = new List<(int, int)>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT port, status FROM edge_orleans_silos WHERE cluster_id = $1 ORDER BY port", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = clusterId });
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt32(0), reader.GetInt32(1)));
        }

        return rows;
    }

    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        using var timeout = new CancellationTokenSource(StartTimeout);
        await _host.StopAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            _host.Dispose();
        }
    }

}
