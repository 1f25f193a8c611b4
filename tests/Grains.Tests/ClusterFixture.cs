using Edge.Actors.EventStore;
using Edge.Actors.EventStore.Sqlite;
using Edge.Actors.Grains.Common;
using Edge.Actors.Grains.EventSourcing;
using Edge.Actors.Grains.Tests.EventSourcing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace Edge.Actors.Grains.Tests;

/// <summary>One in-process two-silo cluster per collection, its grains event-sourced into one SQLite event store.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("edge-cluster-");
    private UnreachableStreams? _store;
    private InProcessTestCluster? _cluster;

    public IEventStore Store => _store ?? throw new InvalidOperationException("cluster not started");

    /// <summary>The grains' store, whose reads of chosen streams a test can make fail as an unreachable store does.</summary>
    public UnreachableStreams Faults => _store ?? throw new InvalidOperationException("cluster not started");

    public InProcessTestCluster Cluster => _cluster ?? throw new InvalidOperationException("cluster not started");

    public IGrainFactory Grains => Cluster.Client;

    /// <summary>The clock of every silo: the times grains stamp (an alarm's raised-at) are the ones the test sets.</summary>
    public ManualClock Clock { get; } = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public async Task InitializeAsync()
    {
        _store = new UnreachableStreams(await SqliteEventStore.OpenAsync(Path.Combine(_folder.FullName, "events.db")));
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddKeyedSingleton<TimeProvider>(EventSourcingExtensions.DomainClock, Clock);
            silo.AddEdgeEventSourcing(_store, registry =>
            {
                DomainEvents.Register(registry);
                CounterEvents.Register(registry);
            });
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        _folder.Delete(recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterGroup : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
