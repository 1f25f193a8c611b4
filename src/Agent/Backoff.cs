namespace Edge.Actors.Agent;

/// <summary>
/// Exponential backoff with jitter for reconnecting: the ceiling doubles from <c>initial</c> up to <c>max</c>, and each
/// delay is drawn from the upper half below it so that many agents cut off together do not return in step.
/// <see cref="Reset"/> after a success, so a stream that lived for hours reconnects quickly the first time.
/// </summary>
internal sealed class Backoff(TimeSpan initial, TimeSpan max, Random random)
{
    public static readonly TimeSpan DefaultInitial = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan DefaultMax = TimeSpan.FromSeconds(2);

    private int _attempt;

    public Backoff()
        : this(DefaultInitial, DefaultMax, Random.Shared)
    {
    }

    public TimeSpan Next()
    {
        var ceiling = initial * Math.Pow(2, Math.Min(_attempt, 30));
        if (ceiling > max)
        {
            ceiling = max;
        }
        else
        {
            _attempt++;
        }

        return ceiling * (0.5 + (random.NextDouble() * 0.5));
    }

    public void Reset() => _attempt = 0;
}
