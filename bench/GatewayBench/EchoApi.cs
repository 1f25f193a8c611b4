using Edge.Actors.GatewayBench.Protos;
using Grpc.Core;

namespace Edge.Actors.GatewayBench;

/// <summary>The baseline service: answers with its request, no domain work, behind the same authentication and authorization.</summary>
internal sealed class EchoApi : EchoService.EchoServiceBase
{
    public override Task<EchoReply> Echo(EchoRequest request, ServerCallContext context) =>
        Task.FromResult(new EchoReply { SiteId = request.SiteId, Name = request.Name });
}
