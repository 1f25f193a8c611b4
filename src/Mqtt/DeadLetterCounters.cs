namespace Edge.Actors.Mqtt;

/// <summary>How many messages were dead-lettered, per reason. Thread-safe; a snapshot is a consistent-enough copy for metrics.</summary>
public sealed class DeadLetterCounters
{
    private static readonly DeadLetterReason[] Reasons = Enum.GetValues<DeadLetterReason>();

    // Indexed by the enum's value; the values are small and stable, so an array beats a concurrent dictionary.
    private readonly long[] _counts = new long[Reasons.Max(r => (int)r) + 1];

    /// <summary>Counts one dead letter for <paramref name="reason"/> and returns the new count.</summary>
    public long Increment(DeadLetterReason reason)
    {
        if (!Enum.IsDefined(reason))
        {
            throw new ArgumentOutOfRangeException(nameof(reason), reason, "not a dead-letter reason");
        }
        return Interlocked.Increment(ref _counts[(int)reason]);
    }

    /// <summary>The count for one reason.</summary>
    public long this[DeadLetterReason reason] => Enum.IsDefined(reason) ? Interlocked.Read(ref _counts[(int)reason]) : 0;

    /// <summary>The total over every reason.</summary>
    public long Total => Reasons.Sum(r => this[r]);

    /// <summary>Every reason with its count (zeros included, so a metrics exporter sees each series from the start).</summary>
    public IReadOnlyDictionary<DeadLetterReason, long> Snapshot() => Reasons.ToDictionary(r => r, r => this[r]);
}
