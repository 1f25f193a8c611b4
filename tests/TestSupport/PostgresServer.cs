// Edge.Actors.TestSupport owns what tests and benchmarks share: a throwaway PostgreSQL server started from the
// local install, process helpers and condition waits.
using Npgsql;

namespace Edge.Actors.TestSupport;

/// <summary>
/// A real PostgreSQL for tests and benchmarks: <c>initdb</c> and <c>pg_ctl</c> from the local install, on a free
/// loopback port, in a temporary folder removed on dispose. When <c>EDGE_TEST_POSTGRES</c> names a server, that
/// server is used instead and only databases are created on it.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly string? _folder;
    private readonly string _adminConnectionString;

    private PostgresServer(string? folder, string adminConnectionString)
    {
        _folder = folder;
        _adminConnectionString = adminConnectionString;
    }

    /// <summary>The PostgreSQL data folder of a server this object started, for tests that stop or kill it.</summary>
    public string? DataFolder => _folder is null ? null : Path.Combine(_folder, "data");

    public static async Task<PostgresServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var external = Environment.GetEnvironmentVariable("EDGE_TEST_POSTGRES");
        if (!string.IsNullOrWhiteSpace(external))
        {
            return new PostgresServer(null, external);
        }

        var bin = FindBinFolder();
        var folder = Directory.CreateTempSubdirectory("edge-pg-").FullName;
        try
        {
            var data = Path.Combine(folder, "data");
            var port = LoopbackPorts.Free();
            // initdb refuses to run as root; as root, the folder is handed to the postgres system user.
            var asRoot = Environment.UserName == "root";
            if (asRoot)
            {
                await ProcessRunner.RunAsync("chown", ["postgres:postgres", folder], TimeSpan.FromSeconds(30), cancellationToken);
            }

            await RunPostgresToolAsync(asRoot, Path.Combine(bin, "initdb"),
                ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-instructions"], cancellationToken);
            var serverOptions = string.Join(' ',
                $"-p {port}", $"-k {folder}", "-c listen_addresses=127.0.0.1",
                // Durability stays on: tests and benchmarks measure what a user would run.
                "-c fsync=on", "-c synchronous_commit=on", "-c max_connections=300", "-c shared_buffers=128MB");
            await RunPostgresToolAsync(asRoot, Path.Combine(bin, "pg_ctl"),
                ["start", "-D", data, "-l", Path.Combine(folder, "server.log"), "-w", "-t", "60", "-o", serverOptions], cancellationToken);
            var admin = new NpgsqlConnectionStringBuilder
            {
                Host = "127.0.0.1",
                Port = port,
                Username = "postgres",
                Database = "postgres",
                Pooling = false,
            }.ConnectionString;
            return new PostgresServer(folder, admin);
        }
        catch
        {
            TryDeleteFolder(folder);
            throw;
        }
    }

    /// <summary>Creates a fresh, empty database and returns a connection string to it.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "edge", CancellationToken cancellationToken = default)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 33, 63)].ToLowerInvariant();
        await using (var connection = new NpgsqlConnection(_adminConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return new NpgsqlConnectionStringBuilder(_adminConnectionString) { Database = name, Pooling = true, MaxPoolSize = 200 }.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        if (_folder is null)
        {
            return;
        }

        try
        {
            await RunPostgresToolAsync(Environment.UserName == "root", Path.Combine(FindBinFolder(), "pg_ctl"),
                ["stop", "-D", Path.Combine(_folder, "data"), "-m", "immediate", "-w", "-t", "30"], CancellationToken.None);
        }
        catch (InvalidOperationException)
        {
            // Already stopped (a test may have killed it); the folder is removed all the same.
        }

        TryDeleteFolder(_folder);
    }

    private static Task<string> RunPostgresToolAsync(bool asRoot, string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        asRoot
            ? ProcessRunner.RunAsync("runuser", ["-u", "postgres", "--", tool, .. arguments], TimeSpan.FromMinutes(2), cancellationToken)
            : ProcessRunner.RunAsync(tool, arguments, TimeSpan.FromMinutes(2), cancellationToken);

    private static string FindBinFolder()
    {
        var fromPath = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(dir => File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl")));
        if (fromPath is not null)
        {
            return fromPath;
        }

        var debian = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(dir => Path.Combine(dir, "bin"))
                .Where(dir => File.Exists(Path.Combine(dir, "initdb")))
                .OrderByDescending(dir => int.TryParse(Path.GetFileName(Path.GetDirectoryName(dir)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        return debian ?? throw new InvalidOperationException(
            "PostgreSQL server binaries (initdb, pg_ctl) were not found on PATH or under /usr/lib/postgresql; install the 'postgresql' package or set EDGE_TEST_POSTGRES");
    }

    private static void TryDeleteFolder(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean up with the rest of the temp folder.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
