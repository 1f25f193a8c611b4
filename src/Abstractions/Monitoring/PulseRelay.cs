using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Edge.Actors.Abstractions;

/// <summary>
/// Carries pulses from the agents (their gRPC streams, or MQTT) to each site's failure detector in batches: thousands of hosts pulsing ten
/// times a second become a few calls per site per period, not a grain call per pulse. Each pulse keeps how long ago it
/// arrived, so batching delays the detector's view of a pulse by nothing.
/// </summary>
public sealed partial class PulseRelay(IGrainFactory grains, ILogger<PulseRelay> logger) : BackgroundService
{
    private static readonly TimeSpan FlushEvery = TimeSpan.FromMilliseconds(20);

    private readonly Lock _gate = new();
    private Dictionary<string, Dictionary<string, long>> _pending = new(StringComparer.Ordinal);
    private long _lastFailureLog;

    /// <summary>Notes a pulse of <paramref name="host"/> received now.</summary>
    public void Record(string site, string host)
    {
        var now = Environment.TickCount64;
        lock (_gate)
        {
            if (!_pending.TryGetValue(site, out var hosts))
            {
                _pending[site] = hosts = new Dictionary<string, long>(StringComparer.Ordinal);
            }

            hosts[host] = now;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(FlushEvery);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            Dictionary<string, Dictionary<string, long>> batch;
            lock (_gate)
            {
                if (_pending.Count == 0)
                {
                    continue;
                }

                (batch, _pending) = (_pending, new Dictionary<string, Dictionary<string, long>>(StringComparer.Ordinal));
            }

            var now = Environment.TickCount64;
            await Task.WhenAll(batch.Select(site => SendAsync(site.Key, site.Value, now, stoppingToken)));
        }
    }

    private async Task SendAsync(string site, Dictionary<string, long> hosts, long now, CancellationToken cancellationToken)
    {
        try
        {
            var names = new string[hosts.Count];
            var ages = new int[hosts.Count];
            var i = 0;
            foreach (var (host, at) in hosts)
            {
                (names[i], ages[i]) = (host, (int)Math.Clamp(now - at, 0, int.MaxValue));
                i++;
            }

            await grains.GetGrain<IHostMonitorGrain>(site).PulsesAsync(new PulseBatch(names, ages), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The next batch carries fresher pulses; say so at most once a second rather than per batch.
            var failedAt = Environment.TickCount64;
            if (failedAt - Interlocked.Read(ref _lastFailureLog) >= 1000)
            {
                Interlocked.Exchange(ref _lastFailureLog, failedAt);
                LogRelayFailed(logger, ex, site, hosts.Count);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "pulses of site {Site} ({Count} hosts) did not reach its failure detector")]
    private static partial void LogRelayFailed(ILogger logger, Exception exception, string site, int count);
}

public static class PulseRelayRegistration
{
    /// <summary>Adds the one relay of this process (the gateway and the MQTT bridge both feed it), once.</summary>
    public static IServiceCollection AddPulseRelay(this IServiceCollection services)
    {
        if (!services.Any(d => d.ServiceType == typeof(PulseRelay)))
        {
            services.AddSingleton<PulseRelay>();
            services.AddHostedService(s => s.GetRequiredService<PulseRelay>());
        }

        return services;
    }
}
