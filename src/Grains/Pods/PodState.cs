using Edge.Actors.Abstractions;
using Edge.Actors.Grains.Common;

namespace Edge.Actors.Grains.Pods;

/// <summary>A pod's requests, node and phase.</summary>
[GenerateSerializer]
public sealed class PodState : AggregateState
{
    [Id(0)]
    public bool Exists { get; set; }

    [Id(1)]
    public bool Deleted { get; set; }

    [Id(2)]
    public string Site { get; set; } = string.Empty;

    [Id(3)]
    public string Namespace { get; set; } = string.Empty;

    [Id(4)]
    public string Name { get; set; } = string.Empty;

    [Id(5)]
    public Resources Requests { get; set; } = Resources.None;

    [Id(6)]
    public string? Owner { get; set; }

    [Id(7)]
    public string Node { get; set; } = string.Empty;

    [Id(8)]
    public PodPhase Phase { get; set; }

    [Id(9)]
    public string? Reason { get; set; }

    public bool IsLive => Exists && !Deleted;

    public override void Apply(IDomainEvent domainEvent)
    {
        switch (domainEvent)
        {
            case RequestAccepted e: Apply(e); break;
            case PodCreated e: Apply(e); break;
            case PodPhaseChanged e: Phase = e.Phase; Reason = e.Reason; break;
            case PodRescheduled e: Node = e.ToNode; Phase = PodPhase.Running; Reason = $"rescheduled from {e.FromNode}"; break;
            case PodDeleted: Deleted = true; break;
        }
    }

    private void Apply(PodCreated e)
    {
        Exists = true;
        Deleted = false;
        Site = e.Site;
        Namespace = e.Namespace;
        Name = e.Name;
        Requests = e.Requests;
        Owner = e.Owner;
        Node = e.Node;
        Phase = PodPhase.Pending;
        Reason = null;
    }
}
