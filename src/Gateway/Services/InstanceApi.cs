using Edge.Actors.Abstractions;
using Edge.Actors.Gateway.Errors;
using Edge.Actors.Gateway.Protos;
using Edge.Actors.Gateway.Security;
using Grpc.Core;

namespace Edge.Actors.Gateway.Services;

internal sealed class InstanceApi(IGrainFactory grains) : InstanceService.InstanceServiceBase
{
    private IInstanceGrain Grain(string site, string name) => grains.GetGrain<IInstanceGrain>(ResourceNames.Key(site, name));

    public override async Task<Instance> GetInstance(GetInstanceRequest request, ServerCallContext context)
    {
        // Who may call comes before what the input says: an unauthorised caller learns nothing from validation.
        Caller.From(context).Require(EdgeRole.Reader, request.SiteId);
        var (site, name) = (Require.Name(request.SiteId, "site_id"), Require.Name(request.Name, "name"));
        return (await Grain(site, name).GetAsync(context.CancellationToken)).ToProto();
    }

    public override async Task<ListInstancesResponse> ListInstances(ListInstancesRequest request, ServerCallContext context)
    {
        // Who may call comes before what the input says: an unauthorised caller learns nothing from validation.
        Caller.From(context).Require(EdgeRole.Reader, request.SiteId);
        var site = Require.Name(request.SiteId, "site_id");
        var host = Require.OptionalName(request.Host, "host");
        var state = request.State == Protos.InstanceState.Unspecified ? (InstanceStatus?)null : Require.Enum(request.State, "state", s => s.ToDomain());
        var inventory = await grains.GetGrain<ISiteGrain>(site).GetInventoryAsync(context.CancellationToken);
        var views = await Task.WhenAll(inventory.Instances.Select(n => Grain(site, n).GetAsync(context.CancellationToken)));
        var wanted = views.Where(v => (host is null || v.Host == host) && (state is null || v.State == state)).ToDictionary(v => v.Name, StringComparer.Ordinal);
        var (names, next) = ProtoMapping.Page(wanted.Keys, request.Page);
        var response = new ListInstancesResponse { NextPageToken = next };
        response.Instances.AddRange(names.Select(n => wanted[n].ToProto()));
        return response;
    }

    public override async Task<Instance> CreateInstance(CreateInstanceRequest request, ServerCallContext context)
    {
        // Who may call comes before what the input says: an unauthorised caller learns nothing from validation.
        Caller.From(context).Require(EdgeRole.Operator, request.SiteId);
        var requestId = Require.RequestId(request.RequestId);
        var (site, name) = (Require.Name(request.SiteId, "site_id"), Require.Name(request.Name, "name"));
        var flavor = request.Flavor ?? throw GrpcErrors.InvalidArgument("flavor", "flavor is required");
        var domainFlavor = new Abstractions.Flavor(
            Require.Text(flavor.Name, "flavor.name"),
            (int)Require.Positive(flavor.Vcpus, "flavor.vcpus", 256),
            (int)Require.Positive(flavor.MemoryMib, "flavor.memory_mib", int.MaxValue),
            (int)Require.Positive(flavor.DiskGib, "flavor.disk_gib", int.MaxValue));
        Abstractions.ServerGroup? group = request.Group is { } g
            ? new(Require.Name(g.Name, "group.name"), Require.Enum(g.Policy, "group.policy", p => p.ToDomain()))
            : null;
        var command = new CreateInstance(requestId, domainFlavor, Require.Text(request.Image, "image", required: true), group);
        return (await grains.GetGrain<ISiteGrain>(site).CreateInstanceAsync(name, command, context.CancellationToken)).ToProto();
    }

    public override async Task<Instance> DeleteInstance(InstanceCommandRequest request, ServerCallContext context)
    {
        // Who may call comes before what the input says: an unauthorised caller learns nothing from validation.
        Caller.From(context).Require(EdgeRole.Operator, request.SiteId);
        var (requestId, site, name) = Command(request.RequestId, request.SiteId, request.Name);
        return (await Grain(site, name).DeleteAsync(requestId, context.CancellationToken)).ToProto();
    }

    public override async Task<Instance> StopInstance(InstanceCommandRequest request, ServerCallContext context)
    {
        // Who may call comes before what the input says: an unauthorised caller learns nothing from validation.
        Caller.From(context).Require(EdgeRole.Operator, request.SiteId);
        var (requestId, site, name) = Command(request.RequestId, request.SiteId, request.Name);
        return (await Grain(site, name).StopAsync(requestId, context.CancellationToken)).ToProto();
    }

    public override async Task<Instance> StartInstance(InstanceCommandRequest request, ServerCallContext context)
    {
        // Who may call comes before what the input says: an unauthorised caller learns nothing from validation.
        Caller.From(context).Require(EdgeRole.Operator, request.SiteId);
        var (requestId, site, name) = Command(request.RequestId, request.SiteId, request.Name);
        return (await Grain(site, name).StartAsync(requestId, context.CancellationToken)).ToProto();
    }

    public override async Task<Instance> MigrateInstance(MigrateInstanceRequest request, ServerCallContext context)
    {
        // Who may call comes before what the input says: an unauthorised caller learns nothing from validation.
        Caller.From(context).Require(EdgeRole.Operator, request.SiteId);
        var (requestId, site, name) = Command(request.RequestId, request.SiteId, request.Name);
        var toHost = Require.OptionalName(request.ToHost, "to_host");
        return (await Grain(site, name).MigrateAsync(new MigrateInstance(requestId, toHost), context.CancellationToken)).ToProto();
    }

    private static (string RequestId, string Site, string Name) Command(string requestId, string site, string name)
    {
        return (Require.RequestId(requestId), Require.Name(site, "site_id"), Require.Name(name, "name"));
    }
}
