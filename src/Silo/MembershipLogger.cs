namespace Edge.Actors.Silo;

/// <summary>Logs the cluster's active silos whenever the set changes, so an operator sees silos join and leave.</summary>
internal sealed partial class MembershipLogger(IClusterMembershipService membership, ILogger<MembershipLogger> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var last = string.Empty;
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stoppingToken))
            {
                var active = snapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress.ToParsableString()).Order(StringComparer.Ordinal).ToList();
                var current = string.Join(", ", active);
                if (current != last)
                {
                    LogMembership(logger, active.Count, current);
                    last = current;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster membership: {Count} active silo(s): {Silos}")]
    private static partial void LogMembership(ILogger logger, int count, string silos);
}
