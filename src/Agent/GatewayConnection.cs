using Edge.Actors.Gateway.Protos;
using Grpc.Core;
using Grpc.Net.Client;

namespace Edge.Actors.Agent;

/// <summary>
/// One channel to the gateway for every call of this process, with the bearer token on each. Many pulse streams share
/// it: HTTP/2 multiplexes them, and further connections open when a server's stream limit (Kestrel: 100) is reached.
/// </summary>
internal sealed class GatewayConnection : IDisposable
{
    private static readonly TimeSpan UnaryTimeout = TimeSpan.FromSeconds(30);
    private readonly Metadata _headers = [];

    public GatewayConnection(Uri address, string? token)
    {
        ArgumentNullException.ThrowIfNull(address);
        Address = address.ToString().TrimEnd('/');
        Channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                EnableMultipleHttp2Connections = true,
                // A long-lived stream over a connection that died quietly (no RST, no FIN) would wait for TCP's
                // retransmission timeout, minutes; HTTP/2 pings notice within seconds and the agent reconnects.
                KeepAlivePingDelay = TimeSpan.FromSeconds(10),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(5),
                KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
                ConnectTimeout = TimeSpan.FromSeconds(5),
            },
        });
        if (token is not null)
        {
            _headers.Add("authorization", $"Bearer {token}");
        }

        Hosts = new HostService.HostServiceClient(Channel);
        Agents = new HostAgentService.HostAgentServiceClient(Channel);
    }

    public string Address { get; }

    public GrpcChannel Channel { get; }

    public HostService.HostServiceClient Hosts { get; }

    public HostAgentService.HostAgentServiceClient Agents { get; }

    /// <summary>Options for a request-response call: the token and a deadline.</summary>
    public CallOptions Unary(CancellationToken cancellationToken) => new(_headers, DateTime.UtcNow + UnaryTimeout, cancellationToken);

    /// <summary>Options for a pulse stream: the token, no deadline; it ends by completion or by disposing the call.</summary>
    public CallOptions Streaming() => new(_headers);

    public void Dispose() => Channel.Dispose();
}
