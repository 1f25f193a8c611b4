using Edge.Actors.Abstractions;
using Edge.Actors.EventStore;
using Edge.Actors.EventStore.Serialization;
using Edge.Actors.Grains.Common;
using Microsoft.Extensions.Logging;

namespace Edge.Actors.Grains.Sites;

[GenerateSerializer]
public sealed class SiteDirectoryState : AggregateState
{
    [Id(0)]
    public SortedSet<string> Sites { get; set; } = new(StringComparer.Ordinal);

    public override void Apply(IDomainEvent domainEvent)
    {
        if (domainEvent is SiteListed e)
        {
            Sites.Add(e.SiteId);
        }
    }
}

public sealed class SiteDirectoryGrain(IEventStore store, EventTypeRegistry registry, ILogger<SiteDirectoryGrain> logger)
    : AggregateGrain<SiteDirectoryState>(store, registry, logger), ISiteDirectoryGrain
{
    protected override bool KeepsSnapshots => true;

    protected override string StreamKind => "directory";

    public Task AddAsync(string siteId, CancellationToken cancellationToken = default) =>
        ExecuteAsync(state => state.Sites.Contains(siteId) ? Decision.Nothing : Decision.Accept(new SiteListed(siteId)));

    public Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<string>>([.. State.Sites]);
}
