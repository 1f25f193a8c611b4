namespace Edge.Actors.Agent.Tests;

public class BackoffTests
{
    [Fact]
    public void Next_GrowsToTheCeilingWithJitterAndNeverPassesIt()
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2), new Random(7));

        var delays = Enumerable.Range(0, 12).Select(_ => backoff.Next()).ToList();

        Assert.InRange(delays[0], TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100));
        Assert.InRange(delays[3], TimeSpan.FromMilliseconds(400), TimeSpan.FromMilliseconds(800));
        Assert.All(delays.Skip(5), d => Assert.InRange(d, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public void Reset_StartsAgainFromTheInitialDelay()
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2), new Random(7));
        for (var i = 0; i < 10; i++)
        {
            backoff.Next();
        }

        backoff.Reset();

        Assert.InRange(backoff.Next(), TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100));
    }
}
