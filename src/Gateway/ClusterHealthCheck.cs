using Edge.Actors.Abstractions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Edge.Actors.Gateway;

/// <summary>Healthy when a grain answers: the cluster is reachable and the event store serves reads.</summary>
internal sealed class ClusterHealthCheck(IGrainFactory grains) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await grains.GetGrain<ISiteDirectoryGrain>(ISiteDirectoryGrain.Key).ListAsync(timeout.Token).WaitAsync(timeout.Token);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return HealthCheckResult.Unhealthy("the cluster did not answer", ex);
        }
    }
}
