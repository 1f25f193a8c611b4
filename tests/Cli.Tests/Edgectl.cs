using System.Diagnostics;

namespace Edge.Actors.Cli.Tests;

/// <summary>What one run of edgectl left: its exit code, and its stdout and stderr.</summary>
internal sealed record EdgectlResult(int ExitCode, string Stdout, string Stderr)
{
    public string[] StderrLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public override string ToString() => $"exit code {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}

/// <summary>
/// Runs the real edgectl program (<c>dotnet edgectl.dll ...</c>) to its exit. Its environment carries no
/// EDGE_ENDPOINT or EDGE_TOKEN and points the config folder at a missing one, so only the flags given count.
/// </summary>
internal static class Edgectl
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(90);

    /// <summary>edgectl in its own folder of the test output, with exactly its own dependencies (see the project file).</summary>
    public static readonly string Program = Path.Combine(AppContext.BaseDirectory, "cli", "edgectl.dll");

    /// <summary>A config folder that does not exist: no ~/.config/edgectl/config.json of the machine's user is read.</summary>
    private static readonly string ConfigHome = Path.Combine(Path.GetTempPath(), $"edgectl-no-config-{Guid.NewGuid():N}");

    public static async Task<EdgectlResult> RunAsync(TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Program);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("EDGE_ENDPOINT");
        start.Environment.Remove("EDGE_TOKEN");
        start.Environment["XDG_CONFIG_HOME"] = ConfigHome;

        using var process = Process.Start(start) ?? throw new InvalidOperationException("edgectl did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"edgectl {string.Join(' ', arguments)} did not exit within {timeout}; stdout so far:\n{await stdout}\nstderr:\n{await stderr}");
        }

        return new EdgectlResult(process.ExitCode, await stdout, await stderr);
    }

    public static Task<EdgectlResult> RunAsync(params string[] arguments) => RunAsync(DefaultTimeout, arguments);
}
