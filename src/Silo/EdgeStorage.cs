using Edge.Actors.EventStore;
using Edge.Actors.EventStore.Postgres;
using Edge.Actors.EventStore.Sqlite;

namespace Edge.Actors.Silo;

internal static class EdgeStorage
{
    /// <summary>Opens the PostgreSQL event store when a connection string is configured, else the SQLite file in the data folder.</summary>
    public static async Task<IEventStore> OpenEventStoreAsync(SiloSettings settings, CancellationToken cancellationToken)
    {
        if (settings.PostgresConnectionString is { } postgres)
        {
            try
            {
                return await PostgresEventStore.OpenAsync(postgres, cancellationToken: cancellationToken);
            }
            catch (EventStoreStartupException ex)
            {
                throw new EventStoreStartupException($"{SiloSettings.PostgresKey} (--postgres): {ex.Message}", ex);
            }
        }

        try
        {
            return await SqliteEventStore.OpenAsync(settings.EventStoreFile, cancellationToken: cancellationToken);
        }
        catch (EventStoreStartupException ex)
        {
            throw new EventStoreStartupException($"{SiloSettings.DataFolderKey} (--data): {ex.Message}", ex);
        }
    }
}
