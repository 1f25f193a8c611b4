namespace Edge.Actors.Abstractions;

[GenerateSerializer, Immutable, Alias("edge.instance-failed.v1")]
public sealed record InstanceFailed(
    [property: Id(0)] string Reason) : IDomainEvent;
