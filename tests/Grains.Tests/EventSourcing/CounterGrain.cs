using Edge.Actors.EventStore;
using Edge.Actors.EventStore.Serialization;
using Edge.Actors.Grains.EventSourcing;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace Edge.Actors.Grains.Tests.EventSourcing;

public interface ICounterGrain : ICounterCommands;

public interface IReentrantCounterGrain : ICounterCommands;

public interface ICounterCommands : IGrainWithStringKey
{
    Task<int> IncrementAsync(int amount);

    /// <summary>Records a note of <paramref name="bytes"/> characters beside the count.</summary>
    Task NoteAsync(int bytes);

    Task<CounterView> GetAsync();
}

[GenerateSerializer, Immutable]
public sealed record CounterView([property: Id(0)] int Total, [property: Id(1)] int Increments, [property: Id(2)] int Version);

public interface ICounterEvent;

[GenerateSerializer, Immutable, Alias("test.counter-incremented.v1")]
public sealed record CounterIncremented([property: Id(0)] int Amount) : ICounterEvent;

[GenerateSerializer, Immutable, Alias("test.counter-noted.v1")]
public sealed record CounterNoted([property: Id(0)] string Note) : ICounterEvent;

// Snapshots store the state as JSON, under its property names.
public sealed class CounterState
{
    public int Total { get; set; }

    public int Increments { get; set; }
}

public static class CounterEvents
{
    public static void Register(EventTypeRegistry registry)
    {
        registry.Register<CounterIncremented>("test.counter-incremented");
        registry.Register<CounterNoted>("test.counter-noted");
    }
}

/// <summary>A counter whose every increment and note is an event of its stream.</summary>
public abstract class CounterGrainBase(IEventStore store, EventTypeRegistry registry, ILogger logger)
    : EventSourcedGrain<CounterState, ICounterEvent>(store, registry, logger), ICounterCommands
{
    protected override (string Name, int SchemaVersion)? SnapshotContract => ("test.counter", 1);

    protected override int SnapshotEvery => 10;

    protected override void Apply(CounterState state, ICounterEvent domainEvent)
    {
        if (domainEvent is CounterIncremented e)
        {
            state.Total += e.Amount;
            state.Increments++;
        }
    }

    public async Task<int> IncrementAsync(int amount)
    {
        await DecideAsync(_ => [new CounterIncremented(amount)]);
        return State.Total;
    }

    public Task NoteAsync(int bytes) => DecideAsync(_ => [new CounterNoted(new string('n', bytes))]);

    public Task<CounterView> GetAsync() => Task.FromResult(new CounterView(State.Total, State.Increments, Version));
}

public sealed class CounterGrain(IEventStore store, EventTypeRegistry registry, ILogger<CounterGrain> logger)
    : CounterGrainBase(store, registry, logger), ICounterGrain
{
    protected override string StreamKind => "counter";
}

/// <summary>The same counter, reentrant: increments racing in are decided while earlier ones are being written.</summary>
[Reentrant]
public sealed class ReentrantCounterGrain(IEventStore store, EventTypeRegistry registry, ILogger<ReentrantCounterGrain> logger)
    : CounterGrainBase(store, registry, logger), IReentrantCounterGrain
{
    protected override string StreamKind => "reentrant-counter";
}
