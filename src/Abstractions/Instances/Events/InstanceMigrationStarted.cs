namespace Edge.Actors.Abstractions;

[GenerateSerializer, Immutable, Alias("edge.instance-migration-started.v1")]
public sealed record InstanceMigrationStarted(
    [property: Id(0)] string FromHost,
    [property: Id(1)] string ToHost) : IDomainEvent;
