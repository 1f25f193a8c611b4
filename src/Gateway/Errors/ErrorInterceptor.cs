using Edge.Actors.Abstractions;
using Edge.Actors.EventStore;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Edge.Actors.Gateway.Errors;

/// <summary>
/// Gives every failure a precise status and a one-line message: refusals keep their code, an unreachable cluster or
/// store is UNAVAILABLE, a passed deadline DEADLINE_EXCEEDED; anything else is INTERNAL, logged once here, and
/// never reaches the client as UNKNOWN or with a stack trace.
/// </summary>
internal sealed partial class ErrorInterceptor(ILogger<ErrorInterceptor> logger) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation) =>
        AnswerAsync(() => continuation(request, context), context);

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation) =>
        AnswerAsync(() => continuation(requestStream, context), context);

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw Translate(ex, context);
        }
    }

    /// <summary>Runs a call that answers once: a refusal keeps its status (logged once), anything else is translated.</summary>
    private async Task<TResponse> AnswerAsync<TResponse>(Func<Task<TResponse>> call, ServerCallContext context)
    {
        try
        {
            return await call();
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw Translate(ex, context);
        }
        catch (RpcException ex)
        {
            LogRefused(logger, context.Method, ex.StatusCode, ex.Status.Detail);
            throw;
        }
    }

    private RpcException Translate(Exception ex, ServerCallContext context)
    {
        var translated = ex switch
        {
            EdgeException refusal => GrpcErrors.From(refusal),
            OperationCanceledException when context.Deadline <= DateTime.UtcNow => new RpcException(new Status(StatusCode.DeadlineExceeded, "the deadline passed before the call finished")),
            OperationCanceledException => new RpcException(new Status(StatusCode.Cancelled, "the call was cancelled")),
            EventStoreUnavailableException => new RpcException(new Status(StatusCode.Unavailable, "the event store is unreachable; retry with the same request_id")),
            TimeoutException or SiloUnavailableException or OrleansMessageRejectionException
                => new RpcException(new Status(StatusCode.Unavailable, "the cluster did not answer; retry with the same request_id")),
            _ => null,
        };
        if (translated is null)
        {
            LogFailed(logger, ex, context.Method);
            return new RpcException(new Status(StatusCode.Internal, "the gateway failed to handle the call; it is logged on the server"));
        }

        LogRefused(logger, context.Method, translated.StatusCode, translated.Status.Detail);
        return translated;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} refused: {Status} {Detail}")]
    private static partial void LogRefused(ILogger logger, string method, StatusCode status, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string method);
}
