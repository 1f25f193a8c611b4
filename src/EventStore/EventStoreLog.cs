using Microsoft.Extensions.Logging;

namespace Edge.Actors.EventStore;

internal static partial class EventStoreLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Event store commit failed; retrying the same batch (attempt {Attempt})")]
    public static partial void CommitRetrying(this ILogger logger, Exception? exception, int attempt);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Error, Message = "Event store commit of {Count} appends failed")]
    public static partial void CommitFailed(this ILogger logger, Exception exception, int count);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Event store schema migration {Migration} applied")]
    public static partial void MigrationApplied(this ILogger logger, int migration);
}
