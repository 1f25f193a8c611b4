using System.Diagnostics;
using Edge.Actors.EventStore.Postgres;
using Edge.Actors.EventStore.Sqlite;

namespace Edge.Actors.EventStore.Tests;

/// <summary>An append acknowledged to a process survives that process being killed with SIGKILL.</summary>
public abstract class CrashDurabilityTests
{
    private const int AcknowledgementsBeforeKill = 300;

    protected abstract string Backend { get; }

    protected abstract string Location { get; }

    protected abstract Task<IEventStore> OpenStoreAsync();

    [Fact]
    public async Task AppendingProcess_KilledAfterAcknowledgements_LosesNoneOfThem()
    {
        var prefix = $"crash/{Guid.NewGuid():N}";
        var probe = Path.Combine(AppContext.BaseDirectory, "Edge.Actors.AppendProbe.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { probe, Backend, Location, prefix })
        {
            start.ArgumentList.Add(argument);
        }

        var acknowledged = new List<(string Stream, long Version, Guid Id)>();
        using (var process = Process.Start(start)!)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            try
            {
                while (acknowledged.Count < AcknowledgementsBeforeKill)
                {
                    var line = await process.StandardOutput.ReadLineAsync(timeout.Token)
                        ?? throw new InvalidOperationException($"probe ended early: {await process.StandardError.ReadToEndAsync(timeout.Token)}");
                    if (line.StartsWith("ACK ", StringComparison.Ordinal))
                    {
                        var parts = line.Split(' ');
                        acknowledged.Add((parts[1], long.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture), Guid.Parse(parts[3])));
                    }
                }
            }
            finally
            {
                // Process.Kill is SIGKILL on Linux: no shutdown code runs in the probe.
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
            }

            Assert.Equal(137, process.ExitCode);
        }

        await using var store = await OpenStoreAsync();
        foreach (var (stream, version, id) in acknowledged)
        {
            var stored = new List<RecordedEvent>();
            await foreach (var e in store.ReadStreamAsync(stream, version - 1))
            {
                stored.Add(e);
                break;
            }

            Assert.True(stored.Count == 1 && stored[0].Version == version && stored[0].EventId == id, $"acknowledged event {id} at {stream}/{version} is missing");
        }
    }
}

[Collection(PostgresGroup.Name)]
public sealed class PostgresCrashDurabilityTests(PostgresFixture postgres) : CrashDurabilityTests
{
    protected override string Backend => "postgres";

    protected override string Location => postgres.SharedDatabase;

    protected override async Task<IEventStore> OpenStoreAsync() => await PostgresEventStore.OpenAsync(postgres.SharedDatabase);
}

public sealed class SqliteCrashDurabilityTests : CrashDurabilityTests, IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("edge-sqlite-crash-");

    protected override string Backend => "sqlite";

    protected override string Location => Path.Combine(_folder.FullName, "events.db");

    protected override async Task<IEventStore> OpenStoreAsync() => await SqliteEventStore.OpenAsync(Location);

    public void Dispose() => _folder.Delete(recursive: true);
}
