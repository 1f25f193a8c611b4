using Edge.Actors.Abstractions;
using Edge.Actors.Gateway.Errors;
using Edge.Actors.Gateway.Protos;
using Edge.Actors.Gateway.Security;
using Grpc.Core;

namespace Edge.Actors.Gateway.Services;

internal sealed class PodApi(IGrainFactory grains) : PodService.PodServiceBase
{
    private IPodGrain Grain(string site, string ns, string name) => grains.GetGrain<IPodGrain>($"{site}/{ns}/{name}");

    public override async Task<Pod> GetPod(GetPodRequest request, ServerCallContext context)
    {
        // Who may call comes before what the input says: an unauthorised caller learns nothing from validation.
        Caller.From(context).Require(EdgeRole.Reader, request.SiteId);
        var (site, ns, name) = (Require.Name(request.SiteId, "site_id"), Require.Name(request.Namespace, "namespace"), Require.Name(request.Name, "name"));
        return (await Grain(site, ns, name).GetAsync(context.CancellationToken)).ToProto();
    }

    public override async Task<ListPodsResponse> ListPods(ListPodsRequest request, ServerCallContext context)
    {
        // Who may call comes before what the input says: an unauthorised caller learns nothing from validation.
        Caller.From(context).Require(EdgeRole.Reader, request.SiteId);
        var site = Require.Name(request.SiteId, "site_id");
        var ns = Require.OptionalName(request.Namespace, "namespace");
        var node = Require.OptionalName(request.Node, "node");
        var inventory = await grains.GetGrain<ISiteGrain>(site).GetInventoryAsync(context.CancellationToken);
        var views = await Task.WhenAll(inventory.Pods.Select(key => grains.GetGrain<IPodGrain>($"{site}/{key}").GetAsync(context.CancellationToken)));
        var wanted = views.Where(v => (ns is null || v.Namespace == ns) && (node is null || v.Node == node)).ToDictionary(v => $"{v.Namespace}/{v.Name}", StringComparer.Ordinal);
        var (names, next) = ProtoMapping.Page(wanted.Keys, request.Page);
        var response = new ListPodsResponse { NextPageToken = next };
        response.Pods.AddRange(names.Select(n => wanted[n].ToProto()));
        return response;
    }

    public override async Task<Pod> CreatePod(CreatePodRequest request, ServerCallContext context)
    {
        // Who may call comes before what the input says: an unauthorised caller learns nothing from validation.
        Caller.From(context).Require(EdgeRole.Operator, request.SiteId);
        var requestId = Require.RequestId(request.RequestId);
        var (site, ns, name) = (Require.Name(request.SiteId, "site_id"), Require.Name(request.Namespace, "namespace"), Require.Name(request.Name, "name"));
        var command = new CreatePod(requestId, Require.Positive(request.MilliCpu, "milli_cpu", 1_000_000), Require.Positive(request.MemoryMib, "memory_mib", 1L << 32), Require.OptionalName(request.Owner, "owner"));
        return (await Grain(site, ns, name).CreateAsync(command, context.CancellationToken)).ToProto();
    }

    public override async Task<Pod> DeletePod(PodCommandRequest request, ServerCallContext context)
    {
        // Who may call comes before what the input says: an unauthorised caller learns nothing from validation.
        Caller.From(context).Require(EdgeRole.Operator, request.SiteId);
        var requestId = Require.RequestId(request.RequestId);
        var (site, ns, name) = (Require.Name(request.SiteId, "site_id"), Require.Name(request.Namespace, "namespace"), Require.Name(request.Name, "name"));
        return (await Grain(site, ns, name).DeleteAsync(requestId, context.CancellationToken)).ToProto();
    }
}
