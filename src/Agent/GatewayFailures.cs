using Grpc.Core;

namespace Edge.Actors.Agent;

/// <summary>Which failed calls are worth trying again, and which end the agent.</summary>
internal static class GatewayFailures
{
    /// <summary>The gateway or the cluster behind it is down, restarting or overloaded: try again after a backoff.</summary>
    public static bool IsTransient(RpcException failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return failure.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal
            or StatusCode.Unknown or StatusCode.ResourceExhausted or StatusCode.Aborted or StatusCode.Cancelled;
    }

    public static bool IsDenied(RpcException failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return failure.StatusCode is StatusCode.Unauthenticated or StatusCode.PermissionDenied;
    }

    /// <summary>
    /// A write to a stream the server already ended, or over a connection that broke: an
    /// <see cref="RpcException"/> carrying the call's status, <see cref="InvalidOperationException"/> when the server
    /// ended it with OK, or an I/O error from the transport.
    /// </summary>
    public static bool IsStreamBroken(Exception failure) =>
        failure is RpcException or InvalidOperationException or IOException or HttpRequestException or ObjectDisposedException;

    /// <summary>One line for a log, without the stack: the status and its detail, or the exception's message.</summary>
    public static string Describe(Exception failure) => failure switch
    {
        RpcException rpc when rpc.Status.Detail.Length > 0 => $"{rpc.StatusCode}: {rpc.Status.Detail}",
        RpcException rpc => rpc.StatusCode.ToString(),
        _ => $"{failure.GetType().Name}: {failure.Message}",
    };
}
