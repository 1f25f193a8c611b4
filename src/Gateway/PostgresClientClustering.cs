using Orleans.Configuration;

namespace Edge.Actors.Gateway;

/// <summary>How an Orleans client outside the silos (the standalone gateway) finds a PostgreSQL-clustered site.</summary>
public static class PostgresClientClustering
{
    /// <summary>
    /// Finds the silos' gateways in the membership table. Clients only read it; the schema is the silos' to create,
    /// so a client needs no DDL rights (and a gateway started before any silo ever ran waits for one).
    /// </summary>
    public static IClientBuilder UseEdgePostgresClustering(this IClientBuilder client, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return client.UseAdoNetClustering((AdoNetClusteringClientOptions options) => (options.Invariant, options.ConnectionString) = ("Npgsql", connectionString));
    }
}
