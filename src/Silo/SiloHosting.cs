using Edge.Actors.Mqtt;
using System.Net.Sockets;
using Edge.Actors.EventStore;
using Edge.Actors.Grains.Common;
using Edge.Actors.Grains.EventSourcing;
using Edge.Actors.Silo.Clustering;
using Edge.Actors.Silo.Demo;
using Npgsql;
using Orleans.Configuration;

namespace Edge.Actors.Silo;

internal static partial class SiloHosting
{
    /// <summary>
    /// The Orleans silo of one site: localhost clustering on the embedded default, or membership and reminders in
    /// PostgreSQL; every grain event-sourced into <paramref name="store"/>; failure detection tuned to about a second.
    /// </summary>
    public static WebApplicationBuilder AddEdgeSilo(this WebApplicationBuilder builder, SiloSettings settings, IEventStore store)
    {
        builder.UseOrleans(silo =>
        {
            if (settings.PostgresConnectionString is { } postgres)
            {
                silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (settings.ClusterId, SiloSettings.ServiceId));
                silo.UseEdgePostgresClustering(postgres);
                silo.ConfigureEndpoints(settings.AdvertisedAddress, settings.SiloPort, settings.GatewayPort);
            }
            else
            {
                silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort, serviceId: SiloSettings.ServiceId, clusterId: settings.ClusterId);
            }

            silo.AddEdgeEventSourcing(store, DomainEvents.Register);
            // Orleans' defaults declare a silo dead after about 15 s; a site's controllers must notice within seconds.
            // Probes every second, three missed: about 3 s, with Orleans' own guards against false suspicion kept on.
            silo.Configure<ClusterMembershipOptions>(options =>
            {
                options.ProbeTimeout = TimeSpan.FromSeconds(1);
                options.NumMissedProbesLimit = 3;
            });
            silo.Services.Configure<ClusterMembershipOptions>(builder.Configuration.GetSection(SiloSettings.MembershipSection));
        });
        builder.Services.AddSingleton(settings);
        builder.Services.AddHostedService<MembershipLogger>();
        builder.Services.AddHostedService<StartupBanner>();
        builder.Services.AddHostedService<FailureDetectionStartup>();
        if (settings.Mqtt is { } mqtt)
        {
            builder.Services.AddEdgeMqtt(mqtt);
        }
        if (settings.SeedDemo)
        {
            builder.Services.AddHostedService<DemoSeeder>();
        }

        return builder;
    }

    /// <summary>One line for a start-up failure a user can fix (a port in use, an unreachable database), or null.</summary>
    public static string? DescribeStartupFailure(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse }:
                    return $"a port is already in use (--silo-port, --gateway-port, --mqtt-port): {e.Message}";
                case NpgsqlException:
                    return $"{SiloSettings.PostgresKey} (--postgres): {e.Message}";
                case InvalidOperationException when e.Message.StartsWith("Edge:", StringComparison.Ordinal):
                    return e.Message;
                case IOException when e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase):
                    return $"the gRPC port is already in use (--grpc-port): {e.Message}";
            }
        }

        return null;
    }

    private sealed partial class StartupBanner(SiloSettings settings, ILogger<StartupBanner> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (settings.PostgresConnectionString is null)
            {
                LogServingEmbedded(logger, settings.SiloPort, settings.GatewayPort, settings.EventStoreFile);
            }
            else
            {
                LogServingPostgres(logger, settings.ClusterId, settings.AdvertisedAddress.ToString(), settings.SiloPort, settings.GatewayPort);
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(Level = LogLevel.Information, Message = "Edge.Actors silo serving: localhost clustering (silo port {SiloPort}, Orleans gateway port {GatewayPort}), SQLite event store at {Path}")]
        private static partial void LogServingEmbedded(ILogger logger, int siloPort, int gatewayPort, string path);

        [LoggerMessage(Level = LogLevel.Information, Message = "Edge.Actors silo serving: cluster {ClusterId} on PostgreSQL (event store, membership, reminders), at {Address} silo port {SiloPort}, Orleans gateway port {GatewayPort}")]
        private static partial void LogServingPostgres(ILogger logger, string clusterId, string address, int siloPort, int gatewayPort);
    }
}
