namespace Edge.Actors.Abstractions;

/// <summary>The VM was rebuilt on <see cref="ToHost"/> because <see cref="FromHost"/> failed.</summary>
[GenerateSerializer, Immutable, Alias("edge.instance-evacuated.v1")]
public sealed record InstanceEvacuated(
    [property: Id(0)] string FromHost,
    [property: Id(1)] string ToHost) : IDomainEvent;
