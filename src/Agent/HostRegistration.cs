using Edge.Actors.Agent.Proc;
using Edge.Actors.Gateway.Protos;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace Edge.Actors.Agent;

internal enum RegistrationOutcome
{
    /// <summary>The host was there already: nothing about it was changed, its lock state least of all.</summary>
    Existing,
    CreatedLocked,
    CreatedUnlocked,
}

/// <summary>
/// Makes sure a host exists before it pulses: GetHost, and on NOT_FOUND AddHost then (unless asked not to) UnlockHost.
/// Request ids derive from site and name, so a restart in the middle repeats the same commands harmlessly; losing an
/// AddHost race (ALREADY_EXISTS) counts as found. A host the agent finds, it never unlocks: that is an operator's call.
/// </summary>
internal static class HostRegistration
{
    public static string RequestId(string verb, string site, string host) => $"edge-agent:{verb}:{site}/{host}";

    public static async Task<RegistrationOutcome> EnsureAsync(
        GatewayConnection gateway, string site, string host, HostPersonality personality, HostCapacity capacity, bool unlockIfCreated, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        try
        {
            await gateway.Hosts.GetHostAsync(new GetHostRequest { SiteId = site, Name = host }, gateway.Unary(cancellationToken));
            return RegistrationOutcome.Existing;
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
            // Not there yet: add it below.
        }

        try
        {
            await gateway.Hosts.AddHostAsync(new AddHostRequest
            {
                RequestId = RequestId("add", site, host),
                SiteId = site,
                Name = host,
                Personality = personality,
                Vcpus = capacity.Cpus,
                MemoryMib = capacity.MemoryMib,
                DiskGib = capacity.DiskGib,
            }, gateway.Unary(cancellationToken));
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.AlreadyExists)
        {
            return RegistrationOutcome.Existing;
        }

        if (!unlockIfCreated)
        {
            return RegistrationOutcome.CreatedLocked;
        }

        await gateway.Hosts.UnlockHostAsync(new HostCommandRequest { RequestId = RequestId("unlock", site, host), SiteId = site, Name = host }, gateway.Unary(cancellationToken));
        return RegistrationOutcome.CreatedUnlocked;
    }

    public static string Describe(RegistrationOutcome outcome) => outcome switch
    {
        RegistrationOutcome.Existing => "registered already; its lock state is left as it is",
        RegistrationOutcome.CreatedLocked => "added, left locked (--stay-locked)",
        _ => "added and unlocked",
    };

    /// <summary>
    /// Runs <paramref name="call"/> until it succeeds or fails for good, waiting a backoff after each transient failure
    /// (the gateway restarting, the cluster not up yet); the first such failure is logged once.
    /// </summary>
    public static async Task<T> RetryTransientAsync<T>(Func<CancellationToken, Task<T>> call, GatewayConnection gateway, ILogger logger, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(gateway);
        var backoff = new Backoff();
        var logged = false;
        while (true)
        {
            try
            {
                return await call(cancellationToken);
            }
            catch (RpcException ex) when (GatewayFailures.IsTransient(ex) && !cancellationToken.IsCancellationRequested)
            {
                if (!logged)
                {
                    logger.GatewayUnreachable(gateway.Address, GatewayFailures.Describe(ex));
                    logged = true;
                }
            }

            await Task.Delay(backoff.Next(), time, cancellationToken);
        }
    }
}
