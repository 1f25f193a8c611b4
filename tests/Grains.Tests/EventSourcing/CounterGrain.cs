using Edge.Actors.EventStore;
using Edge.Actors.EventStore.Serialization;
using Edge.Actors.Grains.EventSourcing;
using Microsoft.Extensions.Logging;
using Orleans.Providers;

namespace Edge.Actors.Grains.Tests.EventSourcing;

public interface ICounterGrain : IGrainWithStringKey
{
    Task<int> IncrementAsync(int amount);

    Task<CounterView> GetAsync();
}

[GenerateSerializer, Immutable]
public sealed record CounterView([property: Id(0)] int Total, [property: Id(1)] int Increments, [property: Id(2)] int Version);

public interface ICounterEvent;

[GenerateSerializer, Immutable, Alias("test.counter-incremented.v1")]
public sealed record CounterIncremented([property: Id(0)] int Amount) : ICounterEvent;

// The adaptor deep-copies the state, so it carries Orleans serializer ids as well as JSON names for snapshots.
[GenerateSerializer]
public sealed class CounterState
{
    [Id(0)]
    public int Total { get; set; }

    [Id(1)]
    public int Increments { get; set; }
}

public static class CounterEvents
{
    public static void Register(EventTypeRegistry registry) => registry.Register<CounterIncremented>("test.counter-incremented");
}

[LogConsistencyProvider(ProviderName = EventSourcingExtensions.ProviderName)]
public sealed class CounterGrain(IEventStore store, EventTypeRegistry registry, ILogger<CounterGrain> logger)
    : EventSourcedGrain<CounterState, ICounterEvent>(store, registry, logger), ICounterGrain
{
    protected override string StreamKind => "counter";

    protected override (string Name, int SchemaVersion)? SnapshotContract => ("test.counter", 1);

    protected override int SnapshotEvery => 10;

    protected override void Apply(CounterState state, ICounterEvent domainEvent)
    {
        switch (domainEvent)
        {
            case CounterIncremented e:
                state.Total += e.Amount;
                state.Increments++;
                break;
        }
    }

    public async Task<int> IncrementAsync(int amount)
    {
        RaiseEvent(new CounterIncremented(amount));
        await CommitAsync();
        return State.Total;
    }

    public Task<CounterView> GetAsync() => Task.FromResult(new CounterView(State.Total, State.Increments, Version));
}
