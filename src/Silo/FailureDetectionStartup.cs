using Edge.Actors.Abstractions;

namespace Edge.Actors.Silo;

/// <summary>
/// Starts every site's failure detector when the silo starts. A detector that lived on a silo that died comes back on
/// its next pulse, but a host that died with that silo sends none: starting the detectors here finds such hosts
/// silent and finishes any evacuation the dead silo left half-done.
/// </summary>
internal sealed partial class FailureDetectionStartup(IGrainFactory grains, IHostApplicationLifetime lifetime, ILogger<FailureDetectionStartup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await WhenStartedAsync(stoppingToken);
        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                var sites = await grains.GetGrain<ISiteDirectoryGrain>(ISiteDirectoryGrain.Key).ListAsync(stoppingToken);
                await Task.WhenAll(sites.Select(site => grains.GetGrain<IHostMonitorGrain>(site).StartAsync(stoppingToken)));
                LogStarted(logger, sites.Count);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException && attempt < 10)
            {
                LogRetry(logger, ex, attempt);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    private Task WhenStartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        return started.Task.WaitAsync(stoppingToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "failure detection watching {Sites} sites")]
    private static partial void LogStarted(ILogger logger, int sites);

    [LoggerMessage(Level = LogLevel.Warning, Message = "failure detectors not started yet (attempt {Attempt}); retrying")]
    private static partial void LogRetry(ILogger logger, Exception exception, int attempt);
}
