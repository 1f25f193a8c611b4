using Edge.Actors.Abstractions;

namespace Edge.Actors.Grains.Common;

/// <summary>Checks every command shares.</summary>
internal static class Commands
{
    public const int MaxRequestIdLength = 128;

    public static Refusal? CheckRequestId(string? requestId) =>
        string.IsNullOrWhiteSpace(requestId) || requestId.Length > MaxRequestIdLength
            ? new Refusal(EdgeErrorCode.InvalidArgument, $"request_id must be 1-{MaxRequestIdLength} characters", "request_id")
            : null;

    /// <summary>Events of an accepted command, led by its request id.</summary>
    public static Decision Accepted(string requestId, params IDomainEvent[] events) =>
        Decision.Accept([new RequestAccepted(requestId), .. events]);
}
