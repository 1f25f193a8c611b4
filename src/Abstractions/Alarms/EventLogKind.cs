namespace Edge.Actors.Abstractions;

/// <summary>What an entry of a site's event log records: an alarm set, an alarm cleared, or a customer log.</summary>
public enum EventLogKind
{
    Set,
    Clear,
    Log,
}
