// Edge.Actors.Silo wires Orleans' ADO.NET clustering and reminders to the project's own PostgreSQL schema.
using Npgsql;
using Orleans.Configuration;

namespace Edge.Actors.Silo.Clustering;

internal static partial class PostgresClusteringExtensions
{
    /// <summary>The ADO.NET invariant Orleans maps to <c>Npgsql.NpgsqlFactory</c>.</summary>
    public const string Invariant = "Npgsql";

    /// <summary>
    /// Cluster membership and reminders in PostgreSQL. The silo applies <see cref="OrleansPostgresSchema"/> itself
    /// before any provider reads its queries, so a fresh database needs no preparation.
    /// </summary>
    public static ISiloBuilder UseEdgePostgresClustering(this ISiloBuilder silo, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);

        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(services =>
            new SchemaStartup(connectionString, services.GetRequiredService<ILogger<SchemaStartup>>()));
        silo.UseAdoNetClustering((AdoNetClusteringSiloOptions options) =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = connectionString;
        });
        silo.UseAdoNetReminderService((AdoNetReminderTableOptions options) =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = connectionString;
        });
        return silo;
    }

    private sealed partial class SchemaStartup(string connectionString, ILogger<SchemaStartup> logger) : ILifecycleParticipant<ISiloLifecycle>
    {
        // Membership (RuntimeGrainServices) and the reminder service read OrleansQuery when they initialise, both
        // later than RuntimeInitialize; an unreachable database stops the silo here, with its own message.
        public void Participate(ISiloLifecycle lifecycle) =>
            lifecycle.Subscribe(nameof(OrleansPostgresSchema), ServiceLifecycleStage.RuntimeInitialize, ApplyAsync);

        private async Task ApplyAsync(CancellationToken ct)
        {
            try
            {
                await OrleansPostgresSchema.ApplyAsync(connectionString, logger, ct);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                LogSchemaFailed(logger, ex);
                throw;
            }
        }

        [LoggerMessage(Level = LogLevel.Error, Message = "Orleans PostgreSQL schema could not be applied; the silo does not start")]
        private static partial void LogSchemaFailed(ILogger logger, Exception exception);
    }
}
