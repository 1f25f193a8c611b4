using Google.Rpc;
using Grpc.Core;

namespace Edge.Actors.Cli;

/// <summary>Turns a failed call into the one line edgectl prints on stderr: the status code, then the field and reason.</summary>
internal static class ErrorLine
{
    public static string For(RpcException failure, string endpoint)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return $"{EdgeCtl.Name}: {CodeName(failure.StatusCode)}: {OneLine(Describe(failure, endpoint))}";
    }

    public static string For(string message) => $"{EdgeCtl.Name}: {OneLine(message)}";

    /// <summary>INVALID_ARGUMENT for <see cref="StatusCode.InvalidArgument"/>: the names gRPC itself uses.</summary>
    public static string CodeName(StatusCode code) => code == StatusCode.OK ? "OK" : Names.Words(code.ToString(), '_').ToUpperInvariant();

    private static string Describe(RpcException failure, string endpoint)
    {
        if (RichStatus(failure) is { } status)
        {
            var violations = status.Details
                .Select(detail => detail.TryUnpack<BadRequest>(out var bad) ? bad : null)
                .OfType<BadRequest>()
                .SelectMany(bad => bad.FieldViolations)
                .Select(v => string.IsNullOrEmpty(v.Field) ? v.Description : $"{v.Field}: {v.Description}")
                .ToList();
            return violations.Count > 0 ? string.Join("; ", violations) : status.Message;
        }

        return failure.StatusCode switch
        {
            // Raised by the client itself: the gateway was never reached.
            StatusCode.Unavailable when failure.Status.DebugException is { } cause => $"cannot reach the gateway at {endpoint}: {Innermost(cause).Message}",
            StatusCode.DeadlineExceeded when failure.Status.DebugException is not null || failure.Status.Detail.Length == 0
                => $"the gateway at {endpoint} did not answer in time (--timeout)",
            // The gateway's authentication refuses before any service runs, with a bare HTTP 401.
            StatusCode.Unauthenticated when failure.Status.Detail.StartsWith("Bad gRPC response", StringComparison.Ordinal)
                => $"the gateway refused the token: missing, expired or not issued by it (use --token, --token-file or ${GlobalOptions.TokenVariable})",
            _ when failure.Status.Detail.Length > 0 => failure.Status.Detail,
            _ => failure.Status.DebugException is { } cause ? Innermost(cause).Message : "the call failed",
        };
    }

    private static Google.Rpc.Status? RichStatus(RpcException failure)
    {
        try
        {
            return failure.GetRpcStatus();
        }
        catch (Google.Protobuf.InvalidProtocolBufferException)
        {
            // A malformed detail trailer: the plain status still says what happened.
            return null;
        }
    }

    private static Exception Innermost(Exception exception)
    {
        while (exception.InnerException is { } inner)
        {
            exception = inner;
        }

        return exception;
    }

    private static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
