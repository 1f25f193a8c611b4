using System.Text.Json;
using System.Text.Json.Nodes;
using Edge.Actors.EventStore.Serialization;

namespace Edge.Actors.EventStore.Tests;

/// <summary>The contract every event store backend passes; each backend runs it through a derived class.</summary>
public abstract class EventStoreConformanceTests : IAsyncLifetime
{
    private IEventStore? _store;

    protected IEventStore Store => _store ?? throw new InvalidOperationException("store not opened");

    /// <summary>Opens a store on this test's storage; called again for "a new process" on the same storage.</summary>
    protected abstract Task<IEventStore> OpenStoreAsync(EventStoreOptions? options = null);

    public async Task InitializeAsync() => _store = await OpenStoreAsync();

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }

    private static string NewStream(string kind = "test") => $"{kind}/{Guid.NewGuid():N}";

    private static EventData NewEvent(int amount = 1, string? payload = null) =>
        new(Guid.NewGuid(), "test.counter-incremented", 1, payload ?? $$"""{"amount":{{amount}}}""");

    private async Task<List<RecordedEvent>> ReadStreamAsync(string stream, long after = 0)
    {
        var events = new List<RecordedEvent>();
        await foreach (var e in Store.ReadStreamAsync(stream, after))
        {
            events.Add(e);
        }

        return events;
    }

    [Fact]
    public async Task Append_ToNewStream_StoresEventsInVersionOrderWithRisingPositions()
    {
        var stream = NewStream();
        var events = new[] { NewEvent(1), NewEvent(2), NewEvent(3) };

        var result = await Store.AppendAsync(stream, 0, events);

        Assert.Equal(AppendOutcome.Appended, result.Outcome);
        Assert.Equal(3, result.StreamVersion);
        Assert.Equal(result.FirstPosition + 2, result.LastPosition);
        var stored = await ReadStreamAsync(stream);
        Assert.Equal(events.Select(e => e.EventId), stored.Select(e => e.EventId));
        Assert.Equal([1L, 2L, 3L], stored.Select(e => e.Version));
        Assert.Equal(Enumerable.Range(0, 3).Select(i => result.FirstPosition + i), stored.Select(e => e.Position));
        Assert.Equal(2, JsonDocument.Parse(stored[1].Payload).RootElement.GetProperty("amount").GetInt32());
        Assert.Equal([NewEvent().EventType], stored.Select(e => e.EventType).Distinct());
        Assert.Single(await ReadStreamAsync(stream, after: 2));
    }

    [Fact]
    public async Task ReadStream_LongerThanOnePage_ReadsEveryEventInOrderFromAnyVersion()
    {
        var stream = NewStream();
        const int Count = 2_600;
        for (var version = 0; version < Count; version += 200)
        {
            await Store.AppendAsync(stream, version, [.. Enumerable.Range(version + 1, 200).Select(i => NewEvent(i))]);
        }

        Assert.Equal(Enumerable.Range(1, Count).Select(i => (long)i), (await ReadStreamAsync(stream)).Select(e => e.Version));
        Assert.Equal(Enumerable.Range(1_201, Count - 1_200).Select(i => (long)i), (await ReadStreamAsync(stream, after: 1_200)).Select(e => e.Version));
        Assert.Empty(await ReadStreamAsync(stream, after: Count));
    }

    [Fact]
    public async Task ReadStream_ManyAtOnce_EachReadGetsOnlyItsOwnStream()
    {
        var streams = Enumerable.Range(0, 300).Select(_ => NewStream()).ToArray();
        await Task.WhenAll(streams.Select((stream, i) => Store.AppendAsync(stream, 0, [.. Enumerable.Range(1, 1 + (i % 5)).Select(n => NewEvent(i * 10 + n))])));

        var reads = await Task.WhenAll(streams.Select((stream, i) => ReadStreamAsync(stream, after: i % 2)));

        for (var i = 0; i < streams.Length; i++)
        {
            Assert.All(reads[i], e => Assert.Equal(streams[i], e.StreamId));
            var expected = Enumerable.Range(1, 1 + (i % 5)).Skip(i % 2).Select(n => i * 10 + n);
            Assert.Equal(expected, reads[i].Select(e => JsonDocument.Parse(e.Payload).RootElement.GetProperty("amount").GetInt32()));
        }

        Assert.Empty(await ReadStreamAsync(NewStream()));
    }

    [Fact]
    public async Task Append_WithStaleExpectedVersion_ReportsConflictAndStoresNothing()
    {
        var stream = NewStream();
        await Store.AppendAsync(stream, 0, [NewEvent(), NewEvent()]);

        var result = await Store.AppendAsync(stream, 1, [NewEvent()]);

        Assert.Equal(AppendOutcome.Conflict, result.Outcome);
        Assert.False(result.Succeeded);
        Assert.Equal(2, result.StreamVersion);
        Assert.Equal(2, (await ReadStreamAsync(stream)).Count);
    }

    [Fact]
    public async Task Append_ConcurrentWithSameExpectedVersion_ExactlyOneWins()
    {
        for (var round = 0; round < 20; round++)
        {
            var stream = NewStream();
            await Store.AppendAsync(stream, 0, [NewEvent()]);
            var attempts = Enumerable.Range(0, 8).Select(_ => new[] { NewEvent(), NewEvent() }).ToArray();

            var results = await Task.WhenAll(attempts.Select(events => Task.Run(() => Store.AppendAsync(stream, 1, events))));

            Assert.Single(results, r => r.Outcome == AppendOutcome.Appended);
            Assert.Equal(7, results.Count(r => r.Outcome == AppendOutcome.Conflict));
            var winner = attempts[Array.FindIndex(results, r => r.Outcome == AppendOutcome.Appended)];
            var stored = await ReadStreamAsync(stream);
            Assert.Equal(winner.Select(e => e.EventId), stored.Skip(1).Select(e => e.EventId));
        }
    }

    [Fact]
    public async Task Append_RetriedWithSameEventIds_IsRecognisedAndNotStoredTwice()
    {
        var stream = NewStream();
        var batch = new[] { NewEvent(1), NewEvent(2) };
        var first = await Store.AppendAsync(stream, 0, batch);
        await Store.AppendAsync(stream, 2, [NewEvent(3)]);

        var retried = await Store.AppendAsync(stream, 0, batch);

        Assert.Equal(AppendOutcome.AlreadyAppended, retried.Outcome);
        Assert.True(retried.Succeeded);
        Assert.Equal(2, retried.StreamVersion);
        Assert.Equal(first.FirstPosition, retried.FirstPosition);
        Assert.Equal(3, (await ReadStreamAsync(stream)).Count);
    }

    [Fact]
    public async Task Append_ReusingStoredEventIdsAtNewVersion_IsRefusedAsDuplicate()
    {
        var stream = NewStream();
        var batch = new[] { NewEvent() };
        await Store.AppendAsync(stream, 0, batch);

        var error = await Assert.ThrowsAsync<DuplicateEventIdException>(() => Store.AppendAsync(stream, 1, batch));

        Assert.Equal("events", error.ParamName);
        Assert.Single(await ReadStreamAsync(stream));
    }

    [Fact]
    public async Task ReadAll_WhileEightWritersAppend_SeesEveryEventOnceInStreamOrder()
    {
        const int Writers = 8;
        const int EventsPerWriter = 1250;
        var prefix = NewStream("feed");
        var start = await Store.ReadHeadPositionAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));

        var writing = Task.WhenAll(Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
        {
            var random = new Random(writer);
            var versions = new long[4];
            for (var written = 0; written < EventsPerWriter;)
            {
                var slot = random.Next(versions.Length);
                var events = Enumerable.Range(0, Math.Min(random.Next(1, 6), EventsPerWriter - written)).Select(i => NewEvent(i)).ToArray();
                var result = await Store.AppendAsync($"{prefix}-{writer}-{slot}", versions[slot], events, timeout.Token);
                Assert.Equal(AppendOutcome.Appended, result.Outcome);
                versions[slot] += events.Length;
                written += events.Length;
            }
        })));
        var seen = new List<RecordedEvent>();
        var reading = Task.Run(async () =>
        {
            using var idle = new PeriodicTimer(TimeSpan.FromMilliseconds(2));
            var position = start;
            while (seen.Count < Writers * EventsPerWriter)
            {
                var page = await Store.ReadAllAsync(position, 500, timeout.Token);
                foreach (var e in page)
                {
                    Assert.True(e.Position > position, $"feed went back from {position} to {e.Position}");
                    position = e.Position;
                    if (e.StreamId.StartsWith(prefix, StringComparison.Ordinal))
                    {
                        seen.Add(e);
                    }
                }

                if (page.Count == 0)
                {
                    await idle.WaitForNextTickAsync(timeout.Token);
                }
            }
        });

        await Task.WhenAll(writing, reading).WaitAsync(timeout.Token);

        Assert.Equal(Writers * EventsPerWriter, seen.Select(e => e.EventId).Distinct().Count());
        foreach (var stream in seen.GroupBy(e => e.StreamId))
        {
            Assert.Equal(Enumerable.Range(1, stream.Count()).Select(v => (long)v), stream.Select(e => e.Version));
            Assert.Equal((await ReadStreamAsync(stream.Key)).Select(e => e.EventId), stream.Select(e => e.EventId));
        }
    }

    [Fact]
    public async Task Snapshot_PlusTail_EqualsFullReplay()
    {
        var registry = new EventTypeRegistry().Register<CounterIncremented>("test.counter-incremented").Register<CounterRenamed>("test.counter-renamed", 2);
        var stream = NewStream();
        var history = Enumerable.Range(1, 30).Select(i => i % 7 == 0 ? (object)new CounterRenamed($"name-{i}", "test") : new CounterIncremented(i)).ToList();
        await Store.AppendAsync(stream, 0, history.Take(20).Select(e => registry.ToEventData(e, Guid.NewGuid())).ToList());
        var atTwenty = await FoldAsync(registry, stream, new CounterState(), 0);
        await Store.WriteSnapshotAsync(new StreamSnapshot(stream, 20, "test.counter", 1, JsonSerializer.Serialize(atTwenty, EventTypeRegistry.JsonOptions)));
        await Store.AppendAsync(stream, 20, history.Skip(20).Select(e => registry.ToEventData(e, Guid.NewGuid())).ToList());
        // An older snapshot arriving late must not replace the newer one.
        await Store.WriteSnapshotAsync(new StreamSnapshot(stream, 10, "test.counter", 1, """{"total":-1}"""));

        var snapshot = await Store.ReadSnapshotAsync(stream);
        Assert.NotNull(snapshot);
        Assert.Equal(20, snapshot.Version);
        var fromSnapshot = await FoldAsync(registry, stream, JsonSerializer.Deserialize<CounterState>(snapshot.Payload, EventTypeRegistry.JsonOptions)!, snapshot.Version);
        var fullReplay = await FoldAsync(registry, stream, new CounterState(), 0);

        Assert.Equal(JsonSerializer.Serialize(fullReplay), JsonSerializer.Serialize(fromSnapshot));
        Assert.Equal(history.OfType<CounterIncremented>().Sum(e => e.Amount), fullReplay.Total);
        Assert.Null(await Store.ReadSnapshotAsync(NewStream()));
    }

    private async Task<CounterState> FoldAsync(EventTypeRegistry registry, string stream, CounterState state, long after)
    {
        foreach (var recorded in await ReadStreamAsync(stream, after))
        {
            state.Apply(registry.FromRecorded(recorded));
        }

        return state;
    }

    [Fact]
    public async Task Event_StoredInOlderShape_StillLoadsThroughUpcaster()
    {
        // Schema 1 of test.counter-renamed had only "title"; schema 2 renamed it to "name" and added "reason".
        var registry = new EventTypeRegistry()
            .Register<CounterRenamed>("test.counter-renamed", schemaVersion: 2)
            .AddUpcaster("test.counter-renamed", 1, old => new JsonObject { ["name"] = old["title"]?.GetValue<string>(), ["reason"] = "unknown" });
        var stream = NewStream();
        await Store.AppendAsync(stream, 0, [new EventData(Guid.NewGuid(), "test.counter-renamed", 1, """{"title":"pump-7"}""")]);
        await Store.AppendAsync(stream, 1, [registry.ToEventData(new CounterRenamed("pump-8", "operator"), Guid.NewGuid())]);

        var loaded = (await ReadStreamAsync(stream)).Select(registry.FromRecorded).ToList();

        Assert.Equal([new CounterRenamed("pump-7", "unknown"), new CounterRenamed("pump-8", "operator")], loaded);
    }

    [Fact]
    public async Task Event_OfUnregisteredType_FailsToLoadWithTypedError()
    {
        var stream = NewStream();
        await Store.AppendAsync(stream, 0, [new EventData(Guid.NewGuid(), "test.never-registered", 1, "{}")]);
        var recorded = Assert.Single(await ReadStreamAsync(stream));

        var error = Assert.Throws<UnknownEventTypeException>(() => new EventTypeRegistry().FromRecorded(recorded));

        Assert.Equal("test.never-registered", error.EventType);
        Assert.Contains(stream, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Store_ReopenedAsNewInstance_SeesEverythingAcknowledged()
    {
        var stream = NewStream();
        var acknowledged = new List<Guid>();
        for (var v = 0; v < 50; v++)
        {
            var e = NewEvent(v);
            await Store.AppendAsync(stream, v, [e]);
            acknowledged.Add(e.EventId);
        }

        await Store.DisposeAsync();
        _store = await OpenStoreAsync();

        Assert.Equal(acknowledged, (await ReadStreamAsync(stream)).Select(e => e.EventId));
        Assert.Equal(AppendOutcome.Appended, (await Store.AppendAsync(stream, 50, [NewEvent()])).Outcome);
    }

    public static TheoryData<string, string> BadAppends => new()
    {
        { "empty stream", "streamId" },
        { "blank stream", "streamId" },
        { "null stream", "streamId" },
        { "long stream", "streamId" },
        { "negative version", "expectedVersion" },
        { "no events", "events" },
        { "null events", "events" },
        { "empty event id", "events[0].EventId" },
        { "repeated event id", "events[1].EventId" },
        { "blank event type", "events[0].EventType" },
        { "schema version 0", "events[0].SchemaVersion" },
        { "payload not JSON", "events[0].Payload" },
        { "payload of two documents", "events[0].Payload" },
        { "payload of blanks", "events[0].Payload" },
        { "payload of an unclosed object", "events[0].Payload" },
        { "payload over limit", "events[1].Payload" },
    };

    [Theory]
    [MemberData(nameof(BadAppends))]
    public async Task Append_WithBadInput_FailsWithTypedErrorNamingTheArgumentAndStoresNothing(string scenario, string argument)
    {
        await using var store = await OpenStoreAsync(new EventStoreOptions { MaxEventBytes = 1000 });
        var stream = NewStream();
        var good = NewEvent();
        var before = await store.ReadHeadPositionAsync();
        Func<Task> append = scenario switch
        {
            "empty stream" => () => store.AppendAsync(string.Empty, 0, [good]),
            "blank stream" => () => store.AppendAsync("  ", 0, [good]),
            "null stream" => () => store.AppendAsync(null!, 0, [good]),
            "long stream" => () => store.AppendAsync(new string('s', 300), 0, [good]),
            "negative version" => () => store.AppendAsync(stream, -1, [good]),
            "no events" => () => store.AppendAsync(stream, 0, []),
            "null events" => () => store.AppendAsync(stream, 0, null!),
            "empty event id" => () => store.AppendAsync(stream, 0, [good with { EventId = Guid.Empty }]),
            "repeated event id" => () => store.AppendAsync(stream, 0, [good, good]),
            "blank event type" => () => store.AppendAsync(stream, 0, [good with { EventType = " " }]),
            "schema version 0" => () => store.AppendAsync(stream, 0, [good with { SchemaVersion = 0 }]),
            "payload not JSON" => () => store.AppendAsync(stream, 0, [good with { Payload = "{not json" }]),
            "payload of two documents" => () => store.AppendAsync(stream, 0, [good with { Payload = "{} {}" }]),
            "payload of blanks" => () => store.AppendAsync(stream, 0, [good with { Payload = "   " }]),
            "payload of an unclosed object" => () => store.AppendAsync(stream, 0, [good with { Payload = """{"a":[1,2}""" }]),
            "payload over limit" => () => store.AppendAsync(stream, 0, [good, NewEvent(payload: $$"""{"blob":"{{new string('x', 1200)}}"}""")]),
            _ => throw new ArgumentOutOfRangeException(nameof(scenario)),
        };

        var error = await Assert.ThrowsAnyAsync<InvalidEventStoreInputException>(append);

        Assert.Equal(argument, error.ParamName);
        if (scenario == "payload over limit")
        {
            Assert.IsType<EventTooLargeException>(error);
        }

        Assert.Equal(before, await store.ReadHeadPositionAsync());
        Assert.Empty(await ReadStreamAsync(stream));
    }

    [Fact]
    public async Task Snapshot_WithBadInput_IsRefusedWithTypedError()
    {
        var error = await Assert.ThrowsAnyAsync<InvalidEventStoreInputException>(() => Store.WriteSnapshotAsync(new StreamSnapshot(NewStream(), 0, "t", 1, "{}")));
        Assert.Equal("snapshot.Version", error.ParamName);
        error = await Assert.ThrowsAnyAsync<InvalidEventStoreInputException>(() => Store.WriteSnapshotAsync(new StreamSnapshot(" ", 3, "t", 1, "{}")));
        Assert.Equal("streamId", error.ParamName);
        var stream = NewStream();
        error = await Assert.ThrowsAnyAsync<InvalidEventStoreInputException>(() => Store.WriteSnapshotAsync(new StreamSnapshot(stream, 3, "t", 1, """{"ledger":{"a":1}""")));
        Assert.Equal("snapshot.Payload", error.ParamName);
        Assert.Null(await Store.ReadSnapshotAsync(stream));
    }
}
