using Edge.Actors.Abstractions;
using Edge.Actors.EventStore;
using Edge.Actors.EventStore.Serialization;

namespace Edge.Actors.Grains.Tests.EventSourcing;

[Collection(ClusterGroup.Name)]
public sealed class EventSourcedGrainTests(ClusterFixture fixture)
{
    private static string NewKey() => Guid.NewGuid().ToString("N");

    private async Task<List<RecordedEvent>> ReadStreamAsync(string stream)
    {
        var events = new List<RecordedEvent>();
        await foreach (var e in fixture.Store.ReadStreamAsync(stream))
        {
            events.Add(e);
        }

        return events;
    }

    [Fact]
    public async Task Grain_Commands_AreAppendedToItsStreamInOrder()
    {
        var key = NewKey();
        var counter = fixture.Grains.GetGrain<ICounterGrain>(key);

        for (var i = 1; i <= 5; i++)
        {
            await counter.IncrementAsync(i);
        }

        var stored = await ReadStreamAsync($"counter/{key}");
        Assert.Equal([1L, 2L, 3L, 4L, 5L], stored.Select(e => e.Version));
        Assert.All(stored, e => Assert.Equal("test.counter-incremented", e.EventType));
        Assert.Equal(new CounterView(15, 5, 5), await counter.GetAsync());
    }

    [Fact]
    public async Task Grain_AfterDeactivation_RebuildsStateFromStore()
    {
        var key = NewKey();
        var counter = fixture.Grains.GetGrain<ICounterGrain>(key);
        for (var i = 1; i <= 7; i++)
        {
            await counter.IncrementAsync(i);
        }

        await fixture.Cluster.DeactivateAsync(counter);

        Assert.Equal(new CounterView(28, 7, 7), await counter.GetAsync());
    }

    [Fact]
    public async Task Grain_PastSnapshotInterval_StoresSnapshotAndReactivatesToSameState()
    {
        var key = NewKey();
        var counter = fixture.Grains.GetGrain<ICounterGrain>(key);
        for (var i = 1; i <= 25; i++)
        {
            await counter.IncrementAsync(i);
        }

        var snapshot = await fixture.Store.ReadSnapshotAsync($"counter/{key}");
        await fixture.Cluster.DeactivateAsync(counter);

        Assert.NotNull(snapshot);
        Assert.Equal(20, snapshot.Version);
        Assert.Equal("test.counter", snapshot.StateType);
        Assert.Equal(new CounterView(325, 25, 25), await counter.GetAsync());
    }

    [Fact]
    public async Task Grain_ConcurrentCommands_AreAllDurable()
    {
        var key = NewKey();
        var counter = fixture.Grains.GetGrain<ICounterGrain>(key);

        await Task.WhenAll(Enumerable.Range(1, 50).Select(i => counter.IncrementAsync(i)));

        Assert.Equal(50, (await ReadStreamAsync($"counter/{key}")).Count);
        await fixture.Cluster.DeactivateAsync(counter);
        Assert.Equal(new CounterView(1275, 50, 50), await counter.GetAsync());
    }

    [Fact]
    public async Task Grain_WhoseStreamMovedBehindItsBack_ResubmitsOnTopWithoutLosingEither()
    {
        var key = NewKey();
        var counter = fixture.Grains.GetGrain<ICounterGrain>(key);
        await counter.IncrementAsync(1);
        // Another writer (as a duplicate activation during a membership change would) appends version 2.
        var registry = new EventTypeRegistry();
        CounterEvents.Register(registry);
        var outside = await fixture.Store.AppendAsync($"counter/{key}", 1, [registry.ToEventData(new CounterIncremented(100), Guid.NewGuid())]);
        Assert.Equal(AppendOutcome.Appended, outside.Outcome);

        var total = await counter.IncrementAsync(10);

        Assert.Equal(111, total);
        Assert.Equal([1L, 2L, 3L], (await ReadStreamAsync($"counter/{key}")).Select(e => e.Version));
        await fixture.Cluster.DeactivateAsync(counter);
        Assert.Equal(new CounterView(111, 3, 3), await counter.GetAsync());
    }

    [Fact]
    public async Task Grain_WhoseEventTheStoreRefuses_FailsThatCommandAndKeepsItsState()
    {
        var key = NewKey();
        var counter = fixture.Grains.GetGrain<ICounterGrain>(key);
        await counter.IncrementAsync(5);

        var refused = await Assert.ThrowsAsync<EdgeException>(() => counter.NoteAsync(2 * 1024 * 1024));
        Assert.Equal(EdgeErrorCode.InvalidArgument, refused.Code);
        Assert.Contains("over the limit", refused.Message, StringComparison.Ordinal);
        var total = await counter.IncrementAsync(1);

        Assert.Equal(6, total);
        Assert.Equal([1L, 2L], (await ReadStreamAsync($"counter/{key}")).Select(e => e.Version));
        Assert.Equal(new CounterView(6, 2, 2), await counter.GetAsync());
    }

    [Fact]
    public async Task ReentrantGrain_RacingCommands_AreAllDurableInOrderAndSnapshotted()
    {
        var key = NewKey();
        var counter = fixture.Grains.GetGrain<IReentrantCounterGrain>(key);

        await Task.WhenAll(Enumerable.Range(1, 200).Select(i => counter.IncrementAsync(i)));

        var stored = await ReadStreamAsync($"reentrant-counter/{key}");
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), stored.Select(e => e.Version));
        var snapshot = await fixture.Store.ReadSnapshotAsync($"reentrant-counter/{key}");
        Assert.NotNull(snapshot);
        Assert.InRange(snapshot.Version, 10, 200);
        Assert.Equal(new CounterView(20100, 200, 200), await counter.GetAsync());
        await fixture.Cluster.DeactivateAsync(counter);
        Assert.Equal(new CounterView(20100, 200, 200), await counter.GetAsync());
    }

    [Fact]
    public async Task ReentrantGrain_EventTheStoreRefusesAmongRacingCommands_FailsOnlyItsOwnCommand()
    {
        var key = NewKey();
        var counter = fixture.Grains.GetGrain<IReentrantCounterGrain>(key);

        var increments = Enumerable.Range(1, 100).Select(i => counter.IncrementAsync(i)).ToList();
        var note = counter.NoteAsync(2 * 1024 * 1024);
        increments.AddRange(Enumerable.Range(101, 100).Select(i => counter.IncrementAsync(i)));

        Assert.Equal(EdgeErrorCode.InvalidArgument, (await Assert.ThrowsAsync<EdgeException>(() => note)).Code);
        await Task.WhenAll(increments);
        Assert.Equal(200, (await ReadStreamAsync($"reentrant-counter/{key}")).Count);
        Assert.Equal(new CounterView(20100, 200, 200), await counter.GetAsync());
        await fixture.Cluster.DeactivateAsync(counter);
        Assert.Equal(new CounterView(20100, 200, 200), await counter.GetAsync());
    }

    [Fact]
    public async Task Grain_WhoseStreamCannotBeRead_AnswersUnavailable_AndActivatesOnceTheStoreIsBack()
    {
        var key = NewKey();
        var counter = fixture.Grains.GetGrain<ICounterGrain>(key);
        await counter.IncrementAsync(3);
        await fixture.Cluster.DeactivateAsync(counter);
        fixture.Faults.Cut($"counter/{key}");

        try
        {
            var refused = await Assert.ThrowsAsync<EdgeException>(() => counter.IncrementAsync(1));
            Assert.Equal(EdgeErrorCode.Unavailable, refused.Code);
            Assert.Contains("retry with the same request_id", refused.Message, StringComparison.Ordinal);
        }
        finally
        {
            fixture.Faults.Restore($"counter/{key}");
        }

        Assert.Equal(4, await counter.IncrementAsync(1));
        Assert.Equal([1L, 2L], (await ReadStreamAsync($"counter/{key}")).Select(e => e.Version));
    }
}
