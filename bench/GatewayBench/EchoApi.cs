using Edge.Actors.Abstractions;
using Edge.Actors.GatewayBench.Protos;
using Grpc.Core;

namespace Edge.Actors.GatewayBench;

/// <summary>The baseline service: answers with its request, no domain work, behind the same authentication and authorization.</summary>
internal sealed class EchoApi(IGrainFactory grains) : EchoService.EchoServiceBase
{
    public override Task<EchoReply> Echo(EchoRequest request, ServerCallContext context) =>
        Task.FromResult(new EchoReply { SiteId = request.SiteId, Name = request.Name });

    public override async Task<EchoReply> EchoViaGrains(EchoRequest request, ServerCallContext context)
    {
        var view = await grains.GetGrain<IHostGrain>(ResourceNames.Key(request.SiteId, request.Name)).GetAsync(context.CancellationToken);
        await grains.GetGrain<ISiteGrain>(request.SiteId).DescribeHostAsync(view.Name, context.CancellationToken);
        return new EchoReply { SiteId = request.SiteId, Name = request.Name };
    }
}
