using System.Collections.Concurrent;
using System.Diagnostics;

namespace Edge.Actors.TestSupport;

/// <summary>
/// One of the product's programs (<c>dotnet program.dll ...</c>) as a child process: its stdout and stderr captured
/// line by line, its stdin open for commands, SIGKILL on dispose.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly ConcurrentQueue<string> _stdout = new();

    private ChildProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Capture(e.Data, stdout: true);
        _process.ErrorDataReceived += (_, e) => Capture(e.Data, stdout: false);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything it wrote so far, stdout and stderr interleaved as they arrived.</summary>
    public string Output => string.Join('\n', _lines);

    /// <summary>Starts <c>dotnet <paramref name="program"/> <paramref name="arguments"/></c>.</summary>
    public static ChildProcess Start(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(program)!,
        };
        start.ArgumentList.Add(program);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return new ChildProcess(Process.Start(start)!);
    }

    /// <summary>Waits for a line containing <paramref name="text"/> (in stdout and stderr); fails naming it, with the output so far.</summary>
    public Task<string> WaitForLineAsync(string text, TimeSpan timeout) => WaitForAsync(_lines, text, timeout);

    /// <summary>Sends one line to its stdin and waits for the next stdout line starting with <paramref name="answerPrefix"/>.</summary>
    public async Task<string> AskAsync(string line, string answerPrefix, TimeSpan timeout)
    {
        _stdout.Clear();
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
        return await WaitForAsync(_stdout, answerPrefix, timeout, startsWith: true);
    }

    /// <summary>Seconds of CPU it has used so far (user and system), from /proc.</summary>
    public double CpuSeconds()
    {
        var stat = File.ReadAllText($"/proc/{Id}/stat");
        // Fields after the command name (which may hold spaces) start after its closing parenthesis.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
        return ticks / 100.0;
    }

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private async Task<string> WaitForAsync(ConcurrentQueue<string> lines, string text, TimeSpan timeout, bool startsWith = false)
    {
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(5));
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var found = lines.FirstOrDefault(line => startsWith ? line.StartsWith(text, StringComparison.Ordinal) : line.Contains(text, StringComparison.Ordinal));
            if (found is not null)
            {
                return found;
            }

            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{Path.GetFileName(_process.StartInfo.ArgumentList[0])} did not write '{text}' within {timeout} (exited: {_process.HasExited}); output:\n{Output}");
            }

            await poll.WaitForNextTickAsync();
        }
    }

    private void Capture(string? line, bool stdout)
    {
        if (line is not null)
        {
            _lines.Enqueue(line);
            if (stdout)
            {
                _stdout.Enqueue(line);
            }
        }
    }
}
