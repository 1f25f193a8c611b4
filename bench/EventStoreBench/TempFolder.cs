using Microsoft.Data.Sqlite;

namespace Edge.Actors.EventStoreBench;

/// <summary>A temporary folder for the SQLite files of one run, removed with everything in it on dispose.</summary>
internal sealed class TempFolder : IAsyncDisposable
{
    private TempFolder(string path) => Path = path;

    public string Path { get; }

    public static TempFolder Create(string prefix) => new(Directory.CreateTempSubdirectory(prefix).FullName);

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public ValueTask DisposeAsync()
    {
        // Pooled connections keep the files open; release them before the folder goes.
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException ex)
        {
            Console.Error.WriteLine($"warning: temporary folder {Path} was not removed: {ex.Message}");
        }
        catch (UnauthorizedAccessException ex)
        {
            Console.Error.WriteLine($"warning: temporary folder {Path} was not removed: {ex.Message}");
        }

        return default;
    }
}
