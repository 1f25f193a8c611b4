namespace Edge.Actors.TestSupport;

/// <summary>Waits on a condition with a timeout instead of sleeping; the failure names what was awaited.</summary>
public static class Eventually
{
    public static async Task<T> MatchAsync<T>(Func<Task<T>> probe, Func<T, bool> until, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        while (true)
        {
            var value = await probe();
            if (until(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out after {timeout} waiting for {what}; last value: {value}");
            }

            await poll.WaitForNextTickAsync();
        }
    }
}
