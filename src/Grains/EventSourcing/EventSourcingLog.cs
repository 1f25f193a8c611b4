using Microsoft.Extensions.Logging;

namespace Edge.Actors.Grains.EventSourcing;

internal static partial class EventSourcingLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Snapshot of {StreamId} at version {Version} was not stored")]
    public static partial void SnapshotFailed(this ILogger logger, Exception exception, string streamId, long version);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Snapshot of {StreamId} at version {Version} does not load; replaying the whole stream")]
    public static partial void SnapshotUnreadable(this ILogger logger, Exception exception, string streamId, long version);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Append to {StreamId} at version {ExpectedVersion} has an unknown outcome; retrying the same events in {Delay}")]
    public static partial void AppendOutcomeUnknown(this ILogger logger, Exception exception, string streamId, long expectedVersion, TimeSpan delay);
}
