namespace Edge.Actors.EventStore;

/// <summary>How an append ended.</summary>
public enum AppendOutcome
{
    /// <summary>The events were stored now.</summary>
    Appended,

    /// <summary>The same event ids were already stored at these versions by an earlier try; nothing was stored twice.</summary>
    AlreadyAppended,

    /// <summary>The stream did not hold the expected number of events; nothing was stored.</summary>
    Conflict,
}

/// <summary>
/// The result of an append. <see cref="StreamVersion"/> is the stream's version after the append, or its
/// current version on a conflict; the positions are those of the appended events in the global feed.
/// </summary>
public sealed record AppendResult(AppendOutcome Outcome, long StreamVersion, long FirstPosition, long LastPosition)
{
    /// <summary>True when the events are stored (now or by an earlier try).</summary>
    public bool Succeeded => Outcome != AppendOutcome.Conflict;
}
