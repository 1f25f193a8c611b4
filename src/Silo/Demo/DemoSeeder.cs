using System.Diagnostics;

namespace Edge.Actors.Silo.Demo;

/// <summary>Seeds the demo region once the silo is up, and logs what the region holds.</summary>
internal sealed partial class DemoSeeder(IGrainFactory grains, IHostApplicationLifetime lifetime, ILogger<DemoSeeder> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Grains answer only once the silo has started; the seeding waits for that, not for a guessed delay.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var registration = lifetime.ApplicationStarted.Register(started.SetResult);
        await started.Task.WaitAsync(stoppingToken);
        var clock = Stopwatch.StartNew();
        var sites = await DemoRegion.SeedAsync(grains, stoppingToken);
        LogSeeded(logger, sites.Count, sites.Sum(s => s.Hosts), sites.Sum(s => s.Pools), sites.Sum(s => s.Instances), sites.Sum(s => s.Pods), clock.ElapsedMilliseconds);
        foreach (var site in sites)
        {
            LogSite(logger, site.SiteId, site.Location, site.Hosts, site.Pools, site.Instances, site.Pods);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo region: {Sites} sites, {Hosts} hosts, {Pools} storage pools, {Vms} VMs, {Pods} pods (seeded or found in {Ms} ms)")]
    private static partial void LogSeeded(ILogger logger, int sites, int hosts, int pools, int vms, int pods, long ms);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo site {Site} ({Location}): {Hosts} hosts, {Pools} pool, {Vms} VMs, {Pods} pods")]
    private static partial void LogSite(ILogger logger, string site, string location, int hosts, int pools, int vms, int pods);
}
