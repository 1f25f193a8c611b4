using System.Collections.Immutable;
using Edge.Actors.Abstractions;
using Edge.Actors.Grains.Common;

namespace Edge.Actors.Grains.Monitoring;

/// <summary>What a site's failure detector keeps durably: the hosts it watches, its settings, and whether the site is in multi-node failure avoidance.</summary>
[GenerateSerializer]
public sealed class MonitorState : AggregateState
{
    [Id(0)]
    public ImmutableSortedSet<string> Watched { get; set; } = ImmutableSortedSet.Create<string>(StringComparer.Ordinal);

    [Id(1)]
    public PulseSettings Settings { get; set; } = PulseSettings.Default;

    [Id(2)]
    public bool MultiNodeFailure { get; set; }

    public override void Apply(IDomainEvent domainEvent)
    {
        switch (domainEvent)
        {
            case HostWatched e: Watched = Watched.Add(e.Host); break;
            case PulseSettingsChanged e: Settings = e.Settings; break;
            case MultiNodeFailureEntered: MultiNodeFailure = true; break;
            case MultiNodeFailureExited: MultiNodeFailure = false; break;
        }
    }
}
