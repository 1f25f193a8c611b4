namespace Edge.Actors.Silo;

/// <summary>Where the silo keeps its state, read from configuration (<c>Edge:*</c>), environment (<c>Edge__*</c>) or flags.</summary>
internal sealed record SiloSettings(string DataFolder, string? PostgresConnectionString)
{
    public const string DataFolderKey = "Edge:DataFolder";
    public const string PostgresKey = "Edge:Postgres";

    /// <summary>Short flags mapped onto configuration keys, so flags, files and environment share one source of truth.</summary>
    public static readonly IDictionary<string, string> Flags = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["--data"] = DataFolderKey,
        ["--postgres"] = PostgresKey,
    };

    /// <summary>The SQLite event store of the embedded default.</summary>
    public string EventStoreFile => Path.GetFullPath(Path.Combine(DataFolder, "events.db"));

    public static SiloSettings From(IConfiguration configuration) => new(
        configuration[DataFolderKey] is { Length: > 0 } folder ? folder : "data",
        configuration[PostgresKey] is { Length: > 0 } postgres ? postgres : null);
}
