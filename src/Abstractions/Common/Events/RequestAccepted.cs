namespace Edge.Actors.Abstractions;

/// <summary>A command with this request id was accepted; a repeat of it raises nothing new.</summary>
[GenerateSerializer, Immutable, Alias("edge.request-accepted.v1")]
public sealed record RequestAccepted(
    [property: Id(0)] string RequestId) : IDomainEvent;
