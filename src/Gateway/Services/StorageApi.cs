using Edge.Actors.Abstractions;
using Edge.Actors.Gateway.Errors;
using Edge.Actors.Gateway.Protos;
using Edge.Actors.Gateway.Security;
using Grpc.Core;

namespace Edge.Actors.Gateway.Services;

internal sealed class StorageApi(IGrainFactory grains) : StorageService.StorageServiceBase
{
    private IStoragePoolGrain Grain(string site, string name) => grains.GetGrain<IStoragePoolGrain>(ResourceNames.Key(site, name));

    private static (string Site, string Name) Target(string site, string name)
    {
        return (Require.Name(site, "site_id"), Require.Name(name, "name"));
    }

    public override async Task<Pool> GetPool(GetPoolRequest request, ServerCallContext context)
    {
        // Who may call comes before what the input says: an unauthorised caller learns nothing from validation.
        Caller.From(context).Require(EdgeRole.Reader, request.SiteId);
        var (site, name) = Target(request.SiteId, request.Name);
        return (await Grain(site, name).GetAsync(context.CancellationToken)).ToProto();
    }

    public override async Task<ListPoolsResponse> ListPools(ListPoolsRequest request, ServerCallContext context)
    {
        // Who may call comes before what the input says: an unauthorised caller learns nothing from validation.
        Caller.From(context).Require(EdgeRole.Reader, request.SiteId);
        var site = Require.Name(request.SiteId, "site_id");
        var inventory = await grains.GetGrain<ISiteGrain>(site).GetInventoryAsync(context.CancellationToken);
        var (names, next) = ProtoMapping.Page(inventory.Pools, request.Page);
        var views = await Task.WhenAll(names.Select(n => Grain(site, n).GetAsync(context.CancellationToken)));
        var response = new ListPoolsResponse { NextPageToken = next };
        response.Pools.AddRange(views.Select(v => v.ToProto()));
        return response;
    }

    public override async Task<Pool> CreatePool(CreatePoolRequest request, ServerCallContext context)
    {
        // Who may call comes before what the input says: an unauthorised caller learns nothing from validation.
        Caller.From(context).Require(EdgeRole.Admin, request.SiteId);
        var requestId = Require.RequestId(request.RequestId);
        var (site, name) = Target(request.SiteId, request.Name);
        return (await Grain(site, name).CreateAsync(new CreatePool(requestId, request.Size, request.MinSize == 0 ? null : request.MinSize), context.CancellationToken)).ToProto();
    }

    public override async Task<Pool> AddOsd(AddOsdRequest request, ServerCallContext context)
    {
        // Who may call comes before what the input says: an unauthorised caller learns nothing from validation.
        Caller.From(context).Require(EdgeRole.Admin, request.SiteId);
        var requestId = Require.RequestId(request.RequestId);
        var host = Require.Name(request.Host, "host");
        var capacity = (int)Require.Positive(request.CapacityGib, "capacity_gib", 1 << 24);
        var (site, name) = Target(request.SiteId, request.Name);
        return (await Grain(site, name).AddOsdAsync(new AddOsd(requestId, host, capacity), context.CancellationToken)).ToProto();
    }

    public override async Task<Pool> CreateVolume(CreateVolumeRequest request, ServerCallContext context)
    {
        // Who may call comes before what the input says: an unauthorised caller learns nothing from validation.
        Caller.From(context).Require(EdgeRole.Admin, request.SiteId);
        var requestId = Require.RequestId(request.RequestId);
        var volume = Require.Name(request.Volume, "volume");
        var size = (int)Require.Positive(request.SizeGib, "size_gib", 1 << 24);
        var (site, name) = Target(request.SiteId, request.Name);
        return (await Grain(site, name).CreateVolumeAsync(new CreateVolume(requestId, volume, size), context.CancellationToken)).ToProto();
    }

    public override async Task<Pool> DeleteVolume(VolumeCommandRequest request, ServerCallContext context)
    {
        // Who may call comes before what the input says: an unauthorised caller learns nothing from validation.
        Caller.From(context).Require(EdgeRole.Admin, request.SiteId);
        var (requestId, volume) = (Require.RequestId(request.RequestId), Require.Name(request.Volume, "volume"));
        var (site, name) = Target(request.SiteId, request.Name);
        return (await Grain(site, name).DeleteVolumeAsync(requestId, volume, context.CancellationToken)).ToProto();
    }

    public override async Task<Pool> AttachVolume(AttachVolumeRequest request, ServerCallContext context)
    {
        // Who may call comes before what the input says: an unauthorised caller learns nothing from validation.
        Caller.From(context).Require(EdgeRole.Operator, request.SiteId);
        var (requestId, volume, instance) = (Require.RequestId(request.RequestId), Require.Name(request.Volume, "volume"), Require.Name(request.Instance, "instance"));
        var (site, name) = Target(request.SiteId, request.Name);
        return (await Grain(site, name).AttachVolumeAsync(requestId, volume, instance, context.CancellationToken)).ToProto();
    }

    public override async Task<Pool> DetachVolume(VolumeCommandRequest request, ServerCallContext context)
    {
        // Who may call comes before what the input says: an unauthorised caller learns nothing from validation.
        Caller.From(context).Require(EdgeRole.Operator, request.SiteId);
        var (requestId, volume) = (Require.RequestId(request.RequestId), Require.Name(request.Volume, "volume"));
        var (site, name) = Target(request.SiteId, request.Name);
        return (await Grain(site, name).DetachVolumeAsync(requestId, volume, context.CancellationToken)).ToProto();
    }
}
