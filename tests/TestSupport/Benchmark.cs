namespace Edge.Actors.TestSupport;

/// <summary>What every benchmark program shares around its run.</summary>
public static class Benchmark
{
    /// <summary>Runs <paramref name="run"/> until it ends or Ctrl+C cancels it (then "cancelled" and exit code 130).</summary>
    public static async Task<int> RunAsync(Func<CancellationToken, Task<int>> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        try
        {
            return await run(cancel.Token);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            Console.Error.WriteLine("cancelled");
            return 130;
        }
    }
}
