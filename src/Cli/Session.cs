using Grpc.Core;
using Grpc.Net.Client;

namespace Edge.Actors.Cli;

internal enum OutputFormat
{
    Table,
    Json,
}

/// <summary>One command's connection to the gateway: the channel, the bearer token on every call, the deadline and the output.</summary>
internal sealed class Session : IDisposable
{
    private readonly Metadata _headers = [];
    private readonly TimeSpan _timeout;

    public Session(Uri endpoint, string? token, TimeSpan timeout, OutputFormat format)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        Endpoint = endpoint.ToString().TrimEnd('/');
        // http:// is cleartext HTTP/2 with prior knowledge, as the gateway serves it on loopback.
        Channel = GrpcChannel.ForAddress(endpoint);
        if (token is not null)
        {
            _headers.Add("authorization", $"Bearer {token}");
        }

        _timeout = timeout;
        Output = new Output(format);
    }

    public string Endpoint { get; }

    public GrpcChannel Channel { get; }

    public Output Output { get; }

    /// <summary>Options for a request-response call: the token and a deadline.</summary>
    public CallOptions Unary(CancellationToken cancellationToken) => new(_headers, DateTime.UtcNow + _timeout, cancellationToken);

    /// <summary>Options for a stream that lasts until it is cancelled: the token, no deadline.</summary>
    public CallOptions Streaming(CancellationToken cancellationToken) => new(_headers, null, cancellationToken);

    public void Dispose() => Channel.Dispose();
}
