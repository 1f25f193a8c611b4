namespace Edge.Actors.Abstractions;

/// <summary>
/// The host stopped answering (its pulses were missed past the failure threshold): failed and disabled, and its
/// workloads are to be evacuated. The evacuation stays pending until <see cref="HostEvacuated"/>, so a silo that dies
/// half-way leaves a record the next activation finishes.
/// </summary>
[GenerateSerializer, Immutable, Alias("edge.host-failed.v1")]
public sealed record HostFailed([property: Id(0)] string Reason) : IDomainEvent;
