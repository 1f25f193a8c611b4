using Edge.Actors.TestSupport;

namespace Edge.Actors.Agent.Tests;

/// <summary>Condition waits with a timeout whose message names what was awaited.</summary>
internal static class Wait
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    public static Task<T> ForAsync<T>(Func<T> probe, Func<T, bool> until, string what) =>
        Eventually.MatchAsync(() => Task.FromResult(probe()), until, Timeout, what);

    public static Task ForAsync(Func<bool> condition, string what) =>
        Eventually.MatchAsync(() => Task.FromResult(condition()), ok => ok, Timeout, what);
}
