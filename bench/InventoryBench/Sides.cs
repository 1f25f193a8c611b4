using System.Globalization;
using Edge.Actors.Abstractions;
using Edge.Actors.EventStore;
using Edge.Actors.EventStore.Serialization;
using Edge.Actors.Grains.Common;
using Npgsql;
using Op = Edge.Actors.InventoryBench.CountingEventStore.Op;

namespace Edge.Actors.InventoryBench;

/// <summary>The sizes every create uses, and what a worker host offers.</summary>
internal static class Sizes
{
    /// <summary>1 vCPU, 512 MiB, 10 GiB.</summary>
    public static readonly Flavor Small = new("m1.small", 1, 512, 10);

    /// <summary>A worker host with room for exactly <paramref name="vms"/> VMs of <see cref="Small"/>.</summary>
    public static AddHost WorkerFor(string requestId, int vms) =>
        new(requestId, HostPersonality.Worker, vms * Small.VCpus, (long)vms * Small.MemoryMiB, (long)vms * Small.DiskGiB);

    public static string Site(string prefix, int i) => string.Create(CultureInfo.InvariantCulture, $"{prefix}-site{i}");

    public static string Worker(int i) => string.Create(CultureInfo.InvariantCulture, $"worker-{i:D4}");
}

/// <summary>What the database holds in a range of feed positions: events, appends (stream and transaction) and transactions.</summary>
internal sealed record StoredRange(long Events, long Appends, long Commits)
{
    /// <summary>
    /// Counts by the inserting transaction (<c>xmin</c>): one group commit is one transaction, so this is the number of
    /// durable commits the store made for these events, exactly.
    /// </summary>
    public static async Task<StoredRange> ReadAsync(NpgsqlDataSource database, long afterPosition, long toPosition, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("""
            SELECT count(*), count(DISTINCT (stream_id, xmin::text)), count(DISTINCT xmin::text)
            FROM edge_events WHERE position > $1 AND position <= $2
            """);
        command.Parameters.AddWithValue(afterPosition);
        command.Parameters.AddWithValue(toPosition);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new StoredRange(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }
}

/// <summary>
/// The grains: each round gets fresh sites (so no round inherits a bigger ledger from the one before), each with
/// unlocked workers that have room for every VM the round can create; callers are spread evenly over the sites and
/// each creates one VM at a time through <see cref="ISiteGrain.CreateInstanceAsync"/>, as the gateway does.
/// </summary>
internal sealed class GrainSide(BenchSilo silo, CountingEventStore store, NpgsqlDataSource database, int sites, int workersPerSite, int vmsPerWorker) : IBenchSide
{
    private IReadOnlyDictionary<string, KindStats> _statsAtStart = new Dictionary<string, KindStats>();
    private long _headAtStart;
    private string[] _siteIds = [];

    public string Name => "grains";

    public async Task<IReadOnlyList<IWorker>> OpenWorkersAsync(int round, int count, CancellationToken cancellationToken)
    {
        var prefix = string.Create(CultureInfo.InvariantCulture, $"r{round}");
        _siteIds = [.. Enumerable.Range(0, sites).Select(i => Sizes.Site(prefix, i))];
        await Task.WhenAll(_siteIds.Select(async site =>
        {
            await silo.Grains.GetGrain<ISiteGrain>(site).CreateAsync(new CreateSite($"create-{site}", "inventory benchmark", "bench"), cancellationToken);
            for (var w = 0; w < workersPerSite; w++)
            {
                var host = silo.Grains.GetGrain<IHostGrain>(ResourceNames.Key(site, Sizes.Worker(w)));
                await host.AddAsync(Sizes.WorkerFor($"add-{site}-{w}", vmsPerWorker), cancellationToken);
                await host.UnlockAsync($"unlock-{site}-{w}", cancellationToken);
            }
        }));

        _statsAtStart = store.Snapshot();
        _headAtStart = await store.ReadHeadPositionAsync(cancellationToken);
        return [.. Enumerable.Range(0, count).Select(caller => new CreateVmWorker(silo.Grains, _siteIds[caller % sites], caller))];
    }

    public async Task<(IReadOnlyList<string> Lines, bool Ok)> FinishRoundAsync(int round, long acknowledged, CancellationToken cancellationToken)
    {
        var inv = CultureInfo.InvariantCulture;
        var stats = KindStats.Delta(store.Snapshot(), _statsAtStart);
        var head = await store.ReadHeadPositionAsync(cancellationToken);
        var stored = await StoredRange.ReadAsync(database, _headAtStart, head, cancellationToken);
        var views = await Task.WhenAll(_siteIds.Select(site => silo.Grains.GetGrain<ISiteGrain>(site).GetAsync(cancellationToken)));
        var inLedgers = views.Sum(v => (long)v.Instances);
        var ok = inLedgers == acknowledged;
        var site = stats.GetValueOrDefault("site", KindStats.Zero);
        var instance = stats.GetValueOrDefault("instance", KindStats.Zero);
        double creates = Math.Max(1, acknowledged);
        var appends = stats.Values.Sum(s => s.CallsOf(Op.Append));
        var events = stats.Values.Sum(s => s.AmountOf(Op.Append));
        var conflicts = stats.Values.Sum(s => s.CallsOf(Op.Conflict));
        var snapshots = stats.Values.Sum(s => s.CallsOf(Op.WriteSnapshot));
        var snapshotBytes = stats.Values.Sum(s => s.AmountOf(Op.WriteSnapshot));
        var placementsPerSiteAppend = site.CallsOf(Op.Append) == 0 ? double.NaN : site.AmountOf(Op.Append) / (double)site.CallsOf(Op.Append);
        string[] lines =
        [
            string.Create(inv, $"check grains   {acknowledged} creates acknowledged, {inLedgers} VMs in the {_siteIds.Length} sites' ledgers: {(ok ? "ok" : "MISMATCH")}"),
            string.Create(inv, $"per create     {appends / creates:0.00} appends ({site.CallsOf(Op.Append) / creates:0.00} site, {instance.CallsOf(Op.Append) / creates:0.00} instance), {events / creates:0.00} events, {(instance.CallsOf(Op.ReadSnapshot) + instance.CallsOf(Op.ReadStream)) / creates:0.00} activation reads; {placementsPerSiteAppend:0.0} placements share a site append; {conflicts} conflicts"),
            string.Create(inv, $"store calls    mean ms: instance activation read snapshot {instance.MeanMs(Op.ReadSnapshot):0.00} + stream {instance.MeanMs(Op.ReadStream):0.00}; site append {site.MeanMs(Op.Append):0.00}; instance append {instance.MeanMs(Op.Append):0.00}"),
            string.Create(inv, $"commits        {stored.Commits} transactions for {stored.Appends} appends ({stored.Events} events) over the whole round: {stored.Appends / (double)Math.Max(1, stored.Commits):0.0} appends and {acknowledged / (double)Math.Max(1, stored.Commits):0.0} creates per commit"),
            string.Create(inv, $"snapshots      {snapshots} written ({site.CallsOf(Op.WriteSnapshot)} of sites), {snapshotBytes / 1048576.0:0.0} MiB of JSON, mean {MeanOf(stats, Op.WriteSnapshot):0.00} ms each"),
        ];
        return (lines, ok);
    }

    private static double MeanOf(IReadOnlyDictionary<string, KindStats> stats, Op op)
    {
        var calls = stats.Values.Sum(s => s.CallsOf(op));
        return calls == 0 ? double.NaN : stats.Values.Sum(s => Latency.Ms(s.Ticks[(int)op])) / calls;
    }

    private sealed class CreateVmWorker(IGrainFactory grains, string site, int caller) : IWorker
    {
        private readonly ISiteGrain _site = grains.GetGrain<ISiteGrain>(site);
        private int _next;

        public async ValueTask RunOnceAsync(CancellationToken cancellationToken)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"vm-c{caller:D2}-{_next++}");
            var view = await _site.CreateInstanceAsync(name, new CreateInstance($"create-{site}-{name}", Sizes.Small, "cirros"), cancellationToken);
            if (view.State != InstanceStatus.Active || view.Host.Length == 0)
            {
                throw new InvalidOperationException($"VM {site}/{name} was created {view.State} on '{view.Host}'");
            }
        }
    }
}

/// <summary>
/// The baseline: the same event store, without grains: each writer appends one event at a time to a stream of its
/// own at the stream's current version. The event is the <c>InstanceCreated</c> the grain writes, as the grain
/// serializes it.
/// </summary>
internal sealed class StoreAppendSide(IEventStore store, NpgsqlDataSource database) : IBenchSide
{
    private readonly (string Type, int SchemaVersion, string Payload) _event = Describe();
    private long _headAtStart;
    private long _acknowledgedBefore;

    public string Name => "baseline";

    public async Task<IReadOnlyList<IWorker>> OpenWorkersAsync(int round, int count, CancellationToken cancellationToken)
    {
        _headAtStart = await store.ReadHeadPositionAsync(cancellationToken);
        return [.. Enumerable.Range(0, count).Select(writer => new AppendWorker(store, string.Create(CultureInfo.InvariantCulture, $"instance/r{round}-site{writer % 4}/vm-w{writer:D2}"), _event))];
    }

    public async Task<(IReadOnlyList<string> Lines, bool Ok)> FinishRoundAsync(int round, long acknowledged, CancellationToken cancellationToken)
    {
        var inv = CultureInfo.InvariantCulture;
        var head = await store.ReadHeadPositionAsync(cancellationToken);
        var stored = await StoredRange.ReadAsync(database, _headAtStart, head, cancellationToken);
        _acknowledgedBefore += acknowledged;
        var ok = head == _acknowledgedBefore && stored.Events == acknowledged;
        string[] lines =
        [
            string.Create(inv, $"check baseline {acknowledged} appends acknowledged, {stored.Events} events stored this round, {head} in all: {(ok ? "ok" : "MISMATCH")}"),
            string.Create(inv, $"commits        {stored.Commits} transactions for {stored.Appends} appends over the whole round: {stored.Appends / (double)Math.Max(1, stored.Commits):0.0} appends per commit"),
        ];
        return (lines, ok);
    }

    private static (string, int, string) Describe()
    {
        var registry = new EventTypeRegistry();
        DomainEvents.Register(registry);
        var data = registry.ToEventData(new InstanceCreated("r1-site0", "vm-c00-1234", Sizes.Small, "cirros", null, ServerGroupPolicy.None, Sizes.Worker(7)), Guid.NewGuid());
        return (data.EventType, data.SchemaVersion, data.Payload);
    }

    private sealed class AppendWorker(IEventStore store, string streamId, (string Type, int SchemaVersion, string Payload) e) : IWorker
    {
        private long _version;

        public async ValueTask RunOnceAsync(CancellationToken cancellationToken)
        {
            var result = await store.AppendAsync(streamId, _version, [new EventData(Guid.NewGuid(), e.Type, e.SchemaVersion, e.Payload)], cancellationToken);
            if (result.Outcome != AppendOutcome.Appended || result.StreamVersion != _version + 1)
            {
                throw new InvalidOperationException($"append to {streamId} at version {_version} ended {result.Outcome} at version {result.StreamVersion}");
            }

            _version = result.StreamVersion;
        }
    }
}
