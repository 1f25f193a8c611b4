using Edge.Actors.EventStore;
using Edge.Actors.Grains.EventSourcing;

namespace Edge.Actors.Silo;

internal static partial class SiloHosting
{
    /// <summary>The Orleans silo of one site: single-server localhost clustering, grains event-sourced into <paramref name="store"/>.</summary>
    public static WebApplicationBuilder AddEdgeSilo(this WebApplicationBuilder builder, SiloSettings settings, IEventStore store)
    {
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering();
            silo.AddEdgeEventSourcing(store);
        });
        builder.Services.AddHostedService(services => new StartupBanner(settings, services.GetRequiredService<ILogger<StartupBanner>>()));
        return builder;
    }

    private sealed partial class StartupBanner(SiloSettings settings, ILogger<StartupBanner> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (settings.PostgresConnectionString is null)
            {
                LogServingEmbedded(logger, settings.EventStoreFile);
            }
            else
            {
                LogServingPostgres(logger);
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(Level = LogLevel.Information, Message = "Edge.Actors silo started: localhost clustering, SQLite event store at {Path}")]
        private static partial void LogServingEmbedded(ILogger logger, string path);

        [LoggerMessage(Level = LogLevel.Information, Message = "Edge.Actors silo started: PostgreSQL event store")]
        private static partial void LogServingPostgres(ILogger logger);
    }
}
