using Edge.Actors.Abstractions;
using Edge.Actors.Gateway.Errors;
using Edge.Actors.Gateway.Protos;
using Edge.Actors.Gateway.Security;
using Grpc.Core;

namespace Edge.Actors.Gateway.Services;

internal sealed class SiteApi(IGrainFactory grains) : SiteService.SiteServiceBase
{
    public override async Task<Site> GetSite(GetSiteRequest request, ServerCallContext context)
    {
        // Who may call comes before what the input says: an unauthorised caller learns nothing from validation.
        Caller.From(context).Require(EdgeRole.Reader, request.SiteId);
        var site = Require.Name(request.SiteId, "site_id");
        return (await grains.GetGrain<ISiteGrain>(site).GetAsync(context.CancellationToken)).ToProto();
    }

    public override async Task<ListSitesResponse> ListSites(ListSitesRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context).Require(EdgeRole.Reader);
        var all = await grains.GetGrain<ISiteDirectoryGrain>(ISiteDirectoryGrain.Key).ListAsync(context.CancellationToken);
        var views = await Task.WhenAll(all.Where(caller.MaySee).Select(id => grains.GetGrain<ISiteGrain>(id).GetAsync(context.CancellationToken)));
        var wanted = request.Management switch
        {
            Protos.SiteManagement.Unspecified => views,
            Protos.SiteManagement.Managed => views.Where(v => v.Management == Abstractions.SiteManagement.Managed).ToArray(),
            Protos.SiteManagement.Unmanaged => views.Where(v => v.Management == Abstractions.SiteManagement.Unmanaged).ToArray(),
            _ => throw GrpcErrors.InvalidArgument("management", "management must be SITE_MANAGEMENT_MANAGED or SITE_MANAGEMENT_UNMANAGED"),
        };
        var (names, next) = ProtoMapping.Page(wanted.Select(v => v.SiteId), request.Page);
        var response = new ListSitesResponse { NextPageToken = next };
        response.Sites.AddRange(wanted.Where(v => names.Contains(v.SiteId)).OrderBy(v => v.SiteId, StringComparer.Ordinal).Select(v => v.ToProto()));
        return response;
    }

    public override async Task<Site> CreateSite(CreateSiteRequest request, ServerCallContext context)
    {
        // Who may call comes before what the input says: an unauthorised caller learns nothing from validation.
        Caller.From(context).Require(EdgeRole.Admin, request.SiteId);
        var requestId = Require.RequestId(request.RequestId);
        var site = Require.Name(request.SiteId, "site_id");
        var command = new CreateSite(requestId, Require.Text(request.Description, "description"), Require.Text(request.Location, "location"));
        return (await grains.GetGrain<ISiteGrain>(site).CreateAsync(command, context.CancellationToken)).ToProto();
    }

    public override async Task<Site> ManageSite(SiteCommandRequest request, ServerCallContext context)
    {
        // Who may call comes before what the input says: an unauthorised caller learns nothing from validation.
        Caller.From(context).Require(EdgeRole.Admin, request.SiteId);
        var (requestId, site) = (Require.RequestId(request.RequestId), Require.Name(request.SiteId, "site_id"));
        return (await grains.GetGrain<ISiteGrain>(site).ManageAsync(requestId, context.CancellationToken)).ToProto();
    }

    public override async Task<Site> UnmanageSite(SiteCommandRequest request, ServerCallContext context)
    {
        // Who may call comes before what the input says: an unauthorised caller learns nothing from validation.
        Caller.From(context).Require(EdgeRole.Admin, request.SiteId);
        var (requestId, site) = (Require.RequestId(request.RequestId), Require.Name(request.SiteId, "site_id"));
        return (await grains.GetGrain<ISiteGrain>(site).UnmanageAsync(requestId, context.CancellationToken)).ToProto();
    }
}
