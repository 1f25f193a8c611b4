namespace Edge.Actors.Abstractions;

/// <summary>The site left multi-node failure avoidance: pulses returned, or the condition outlasted its timeout.</summary>
[GenerateSerializer, Immutable, Alias("edge.multi-node-failure-exited.v1")]
public sealed record MultiNodeFailureExited([property: Id(0)] bool TimedOut) : IDomainEvent;
