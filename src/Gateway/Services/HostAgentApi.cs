using Edge.Actors.Abstractions;
using Edge.Actors.Gateway.Errors;
using Edge.Actors.Gateway.Protos;
using Edge.Actors.Gateway.Security;
using Grpc.Core;

namespace Edge.Actors.Gateway.Services;

/// <summary>Where host agents connect: their site's pulse settings, and one pulse stream per host.</summary>
internal sealed class HostAgentApi(IGrainFactory grains, PulseRelay relay) : HostAgentService.HostAgentServiceBase
{
    public override async Task<Protos.PulseSettings> GetPulseSettings(GetPulseSettingsRequest request, ServerCallContext context)
    {
        // Who may call comes before what the input says: an unauthorised caller learns nothing from validation.
        Caller.From(context).Require(EdgeRole.Reader, request.SiteId);
        var site = Require.Name(request.SiteId, "site_id");
        await grains.GetGrain<ISiteGrain>(site).GetAsync(context.CancellationToken);
        return ToProto(await grains.GetGrain<IHostMonitorGrain>(site).GetSettingsAsync(context.CancellationToken));
    }

    public override async Task<PulseStatus> GetPulseStatus(GetPulseStatusRequest request, ServerCallContext context)
    {
        // Who may call comes before what the input says: an unauthorised caller learns nothing from validation.
        Caller.From(context).Require(EdgeRole.Reader, request.SiteId);
        var site = Require.Name(request.SiteId, "site_id");
        await grains.GetGrain<ISiteGrain>(site).GetAsync(context.CancellationToken);
        var view = await grains.GetGrain<IHostMonitorGrain>(site).GetAsync(context.CancellationToken);
        var status = new PulseStatus { Settings = ToProto(view.Settings), MultiNodeFailure = view.MultiNodeFailure };
        status.Hosts.AddRange(view.Hosts.Select(h => new Protos.WatchedHost
        {
            Host = h.Host,
            Health = h.Health.ToString().ToUpperInvariant(),
            SilentForMs = h.SilentForMs,
        }));
        return status;
    }

    private static Protos.PulseSettings ToProto(Abstractions.PulseSettings settings) => new()
    {
        PeriodMs = settings.PeriodMs,
        DegradeAfterMissed = settings.DegradeAfterMissed,
        FailAfterMissed = settings.FailAfterMissed,
    };

    public override async Task<PulseStreamSummary> StreamPulses(IAsyncStreamReader<Pulse> requestStream, ServerCallContext context)
    {
        var caller = Caller.From(context);
        string? site = null;
        string? host = null;
        ulong received = 0;
        await foreach (var pulse in requestStream.ReadAllAsync(context.CancellationToken))
        {
            if (site is null)
            {
                // The first pulse names the host; the stream is refused before anything is recorded if it may not.
                caller.Require(EdgeRole.Operator, pulse.SiteId);
                site = Require.Name(pulse.SiteId, "site_id");
                host = Require.Name(pulse.Host, "host");
                await grains.GetGrain<IHostGrain>(ResourceNames.Key(site, host)).GetAsync(context.CancellationToken);
            }
            else if (pulse.SiteId != site || pulse.Host != host)
            {
                throw GrpcErrors.InvalidArgument("host", $"a pulse stream carries one host ({site}/{host}); open another stream for {pulse.SiteId}/{pulse.Host}");
            }

            relay.Record(site, host!);
            received++;
        }

        return new PulseStreamSummary { Received = received };
    }
}
