using Edge.Actors.Abstractions;
using Edge.Actors.EventStore;
using Edge.Actors.EventStore.Serialization;
using Edge.Actors.Grains.Common;
using Edge.Actors.Grains.Monitoring;
using Microsoft.Extensions.Logging;

namespace Edge.Actors.Grains.Instances;

public sealed class InstanceGrain(IEventStore store, EventTypeRegistry registry, ILogger<InstanceGrain> logger)
    : AggregateGrain<InstanceState>(store, registry, logger), IInstanceGrain, IIncomingGrainCallFilter
{
    private const string Kind = "instance";

    private ISiteGrain? _site;

    protected override string StreamKind => Kind;

    /// <summary>The stream of the VM keyed <paramref name="key"/> (<c>site/name</c>).</summary>
    internal static string StreamOf(string key) => $"{Kind}/{key}";

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await context.Invoke();
        }
        finally
        {
            // A grain for a VM that does not exist leaves memory after answering: a probe for a name holds nothing, and
            // the site's scheduler may create the VM in its stream directly, which an idle empty activation would not see.
            if (!State.Exists)
            {
                DeactivateOnIdle();
            }
        }
    }

    // Resolved once per activation: a reference is immutable, and resolving it on every call costs a type lookup.
    private ISiteGrain Site => _site ??= GrainFactory.GetGrain<ISiteGrain>(Key.Site);

    private string Workload => Workloads.Instance(Key.Name);

    public async Task<InstanceView> CreateAsync(CreateInstance command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        var (site, name) = Key;
        if (InstanceDecisions.CheckCreate(State, name, command) is { } refusal)
        {
            throw refusal.ToException();
        }

        if (!State.HasSeen(command.RequestId))
        {
            // The scheduler answers a repeated workload with its first host, so a retry after a crash here reuses it.
            var host = await Site.PlaceAsync(InstanceDecisions.Placement(name, command), cancellationToken);
            await ExecuteAsync(state => InstanceDecisions.Create(state, site, name, command, host));
        }

        return View();
    }

    public async Task<InstanceView> DeleteAsync(string requestId, CancellationToken cancellationToken = default)
    {
        await ExecuteAsync(state => InstanceDecisions.Delete(state, requestId));
        // After the record, and on a repeat too: releasing is idempotent, so a crash in between heals on retry.
        if (State.State == InstanceStatus.Deleted)
        {
            await Site.ReleaseAsync(Workload, cancellationToken);
        }

        return View();
    }

    public async Task<InstanceView> StopAsync(string requestId, CancellationToken cancellationToken = default)
    {
        await ExecuteAsync(state => InstanceDecisions.Stop(state, requestId));
        return View();
    }

    public async Task<InstanceView> StartAsync(string requestId, CancellationToken cancellationToken = default)
    {
        var host = State.IsLive ? await Site.DescribeHostAsync(State.Host, cancellationToken) : null;
        await ExecuteAsync(state => InstanceDecisions.Start(state, requestId, host?.Schedulable ?? false));
        return View();
    }

    public async Task<InstanceView> MigrateAsync(MigrateInstance command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (InstanceDecisions.CheckMigrate(State, command) is { } refusal)
        {
            throw refusal.ToException();
        }

        if (!State.HasSeen(command.RequestId))
        {
            var toHost = await Site.MoveAsync(Workload, command.ToHost, cancellationToken);
            await ExecuteAsync(state => InstanceDecisions.Migrate(state, command.RequestId, toHost));
        }

        return View();
    }

    public Task RelocateAsync(string toHost, CancellationToken cancellationToken = default) =>
        ExecuteAsync(state => InstanceDecisions.Migrate(state, requestId: null, toHost));

    public Task StopForHostAsync(string reason, CancellationToken cancellationToken = default) =>
        ExecuteAsync(state => InstanceDecisions.StopForHost(state, reason));

    public Task EvacuateAsync(string fromHost, string toHost, CancellationToken cancellationToken = default) =>
        ExecuteAsync(state => InstanceDecisions.Evacuate(state, toHost));

    public async Task FailForHostAsync(string reason, CancellationToken cancellationToken = default)
    {
        await ExecuteAsync(state => InstanceDecisions.FailForHost(state, reason));
        // Raised on a repeat too: alarms are idempotent, so a crash between the two heals on the retry.
        if (State.IsLive && State.State == InstanceStatus.Error)
        {
            await GrainFactory.GetGrain<IAlarmGrain>(Key.Site).RaiseAsync(PlatformAlarms.InstanceNoRoom(Key.Site, Key.Name, State.Host, reason), cancellationToken);
        }
    }

    public Task<InstanceView> GetAsync(CancellationToken cancellationToken = default) =>
        State.IsLive ? Task.FromResult(View()) : throw new EdgeException(EdgeErrorCode.NotFound, $"VM {this.GetPrimaryKeyString()} does not exist", "name");

    private InstanceView View() => State.ToView(Version);
}
