namespace Edge.Actors.Abstractions;

/// <summary>A host's agent pulsed for the first time: from now on its silence means failure, even across restarts.</summary>
[GenerateSerializer, Immutable, Alias("edge.host-watched.v1")]
public sealed record HostWatched([property: Id(0)] string Host) : IDomainEvent;
