namespace Edge.Actors.Abstractions;

/// <summary>
/// So many of a site's hosts lost their pulses at once that the fault is taken for the network, not the hosts: they
/// are degraded, not failed, and nothing is evacuated until pulses return or the condition outlasts its timeout.
/// </summary>
[GenerateSerializer, Immutable, Alias("edge.multi-node-failure-entered.v1")]
public sealed record MultiNodeFailureEntered([property: Id(0)] IReadOnlyList<string> Hosts) : IDomainEvent;
