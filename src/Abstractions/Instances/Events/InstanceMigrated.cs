namespace Edge.Actors.Abstractions;

[GenerateSerializer, Immutable, Alias("edge.instance-migrated.v1")]
public sealed record InstanceMigrated(
    [property: Id(0)] string FromHost,
    [property: Id(1)] string ToHost) : IDomainEvent;
