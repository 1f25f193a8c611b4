using Edge.Actors.Abstractions;

namespace Edge.Actors.Grains.Alarms;

/// <summary>The event log of a site: its alarm stream read as entries (sets, clears, customer logs), a page at a time.</summary>
internal static class AlarmLog
{
    public const int MaxPageSize = 1000;

    public static Refusal? CheckPage(long fromVersion, int pageSize) =>
        fromVersion < 0 ? new Refusal(EdgeErrorCode.InvalidArgument, "the page token must be a version of 0 or more", "page_token")
        : pageSize is < 1 or > MaxPageSize ? new Refusal(EdgeErrorCode.InvalidArgument, $"page_size must be 1-{MaxPageSize}", "page_size")
        : null;

    /// <summary>The log entry an event of the alarm stream stands for, or null for what the log leaves out (suppression, bookkeeping).</summary>
    public static EventLogEntry? Entry(long version, IDomainEvent domainEvent) => domainEvent switch
    {
        AlarmRaised e => new EventLogEntry(version, EventLogKind.Set, e.AlarmId, e.EntityInstanceId, e.Severity, e.Reason, e.RaisedAt),
        AlarmCleared e => new EventLogEntry(version, EventLogKind.Clear, e.AlarmId, e.EntityInstanceId, e.Severity, e.Reason, e.ClearedAt),
        CustomerLogRecorded e => new EventLogEntry(version, EventLogKind.Log, e.LogId, e.EntityInstanceId, e.Severity, e.Reason, e.LoggedAt),
        _ => null,
    };

    /// <summary>
    /// Up to <paramref name="pageSize"/> entries from <paramref name="events"/> (the stream after some version, in
    /// order). Reading stops at the first entry past the page, so the next-page version is given only when there is
    /// more to read, and a long log is never read whole.
    /// </summary>
    public static async Task<EventLogPage> PageAsync(IAsyncEnumerable<(long Version, IDomainEvent Event)> events, int pageSize, CancellationToken cancellationToken = default)
    {
        var entries = new List<EventLogEntry>(Math.Min(pageSize, 64));
        await foreach (var (version, domainEvent) in events.WithCancellation(cancellationToken))
        {
            if (Entry(version, domainEvent) is not { } entry)
            {
                continue;
            }

            if (entries.Count == pageSize)
            {
                return new EventLogPage(entries, entries[^1].Version);
            }

            entries.Add(entry);
        }

        return new EventLogPage(entries, null);
    }
}
