using Edge.Actors.Abstractions;

namespace Edge.Actors.Silo;

/// <summary>
/// Starts every site's failure detector when the silo starts. A detector that lived on a silo that died comes back on
/// its next pulse, but a host that died with that silo sends none: starting the detectors here finds such hosts
/// silent and finishes any evacuation the dead silo left half-done. Devices are woken for the same reason.
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
                // Devices watch their own silence once active: wake every provisioned one, so a device that went
                // quiet while the silo was down is still found offline.
                foreach (var site in sites)
                {
                    var devices = await grains.GetGrain<ISiteDevicesGrain>(site).ListAsync(stoppingToken);
                    await Task.WhenAll(devices.Select(device => WakeAsync(ResourceNames.Key(site, device), stoppingToken)));
                }

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

    private async Task WakeAsync(string device, CancellationToken cancellationToken)
    {
        try
        {
            await grains.GetGrain<IDeviceGrain>(device).GetAsync(cancellationToken);
        }
        catch (EdgeException)
        {
            // Deleted meanwhile: nothing to watch.
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
