using Edge.Actors.Abstractions;
using Edge.Actors.Gateway.Errors;
using Edge.Actors.Gateway.Protos;
using Edge.Actors.Gateway.Security;
using Grpc.Core;

namespace Edge.Actors.Gateway.Services;

internal sealed class HostApi(IGrainFactory grains) : HostService.HostServiceBase
{
    private async Task<Protos.Host> ViewAsync(string site, HostView view, CancellationToken cancellationToken) =>
        view.ToProto(await grains.GetGrain<ISiteGrain>(site).DescribeHostAsync(view.Name, cancellationToken));

    private IHostGrain Grain(string site, string name) => grains.GetGrain<IHostGrain>(ResourceNames.Key(site, name));

    public override async Task<Protos.Host> GetHost(GetHostRequest request, ServerCallContext context)
    {
        // Who may call comes before what the input says: an unauthorised caller learns nothing from validation.
        Caller.From(context).Require(EdgeRole.Reader, request.SiteId);
        var (site, name) = (Require.Name(request.SiteId, "site_id"), Require.Name(request.Name, "name"));
        return await ViewAsync(site, await Grain(site, name).GetAsync(context.CancellationToken), context.CancellationToken);
    }

    public override async Task<ListHostsResponse> ListHosts(ListHostsRequest request, ServerCallContext context)
    {
        // Who may call comes before what the input says: an unauthorised caller learns nothing from validation.
        Caller.From(context).Require(EdgeRole.Reader, request.SiteId);
        var site = Require.Name(request.SiteId, "site_id");
        var personality = request.Personality == Protos.HostPersonality.Unspecified ? (Abstractions.HostPersonality?)null : Require.Enum(request.Personality, "personality", p => p.ToDomain());
        var availability = request.Availability == Protos.Availability.Unspecified ? (HostAvailability?)null : Require.Enum(request.Availability, "availability", a => a.ToDomain());
        var inventory = await grains.GetGrain<ISiteGrain>(site).GetInventoryAsync(context.CancellationToken);
        var views = await Task.WhenAll(inventory.Hosts.Select(h => Grain(site, h.Host).GetAsync(context.CancellationToken)));
        var wanted = views.Where(v => (personality is null || v.Personality == personality) && (availability is null || v.Availability == availability)).ToList();
        var (names, next) = ProtoMapping.Page(wanted.Select(v => v.Name), request.Page);
        var response = new ListHostsResponse { NextPageToken = next };
        response.Hosts.AddRange(names.Select(n => wanted.Single(v => v.Name == n).ToProto(inventory.Hosts.Single(h => h.Host == n))));
        return response;
    }

    public override async Task<Protos.Host> AddHost(AddHostRequest request, ServerCallContext context)
    {
        // Who may call comes before what the input says: an unauthorised caller learns nothing from validation.
        Caller.From(context).Require(EdgeRole.Operator, request.SiteId);
        var requestId = Require.RequestId(request.RequestId);
        var (site, name) = (Require.Name(request.SiteId, "site_id"), Require.Name(request.Name, "name"));
        var personality = Require.Enum(request.Personality, "personality", p => p.ToDomain());
        var command = new AddHost(requestId, personality, (int)Require.Positive(request.Vcpus, "vcpus", 4096), Require.Positive(request.MemoryMib, "memory_mib", 1L << 32), Require.Positive(request.DiskGib, "disk_gib", 1L << 24));
        return await ViewAsync(site, await Grain(site, name).AddAsync(command, context.CancellationToken), context.CancellationToken);
    }

    public override Task<Protos.Host> LockHost(HostCommandRequest request, ServerCallContext context) => LockAsync(request, context, force: false);

    public override Task<Protos.Host> ForceLockHost(HostCommandRequest request, ServerCallContext context) => LockAsync(request, context, force: true);

    private async Task<Protos.Host> LockAsync(HostCommandRequest request, ServerCallContext context, bool force)
    {
        Caller.From(context).Require(EdgeRole.Operator, request.SiteId);
        var (requestId, site, name) = Command(request);
        return await ViewAsync(site, await Grain(site, name).LockAsync(new LockHost(requestId, force), context.CancellationToken), context.CancellationToken);
    }

    public override async Task<Protos.Host> UnlockHost(HostCommandRequest request, ServerCallContext context)
    {
        // Who may call comes before what the input says: an unauthorised caller learns nothing from validation.
        Caller.From(context).Require(EdgeRole.Operator, request.SiteId);
        var (requestId, site, name) = Command(request);
        return await ViewAsync(site, await Grain(site, name).UnlockAsync(requestId, context.CancellationToken), context.CancellationToken);
    }

    public override async Task<Protos.Host> DeleteHost(HostCommandRequest request, ServerCallContext context)
    {
        // Who may call comes before what the input says: an unauthorised caller learns nothing from validation.
        Caller.From(context).Require(EdgeRole.Operator, request.SiteId);
        var (requestId, site, name) = Command(request);
        return (await Grain(site, name).DeleteAsync(requestId, context.CancellationToken)).ToProto(null);
    }

    private static (string RequestId, string Site, string Name) Command(HostCommandRequest request)
    {
        return (Require.RequestId(request.RequestId), Require.Name(request.SiteId, "site_id"), Require.Name(request.Name, "name"));
    }
}
