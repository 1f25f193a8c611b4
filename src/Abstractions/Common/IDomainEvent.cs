// Edge.Actors.Abstractions owns what a client references: grain interfaces, commands, events, views,
// value types and error codes of every aggregate.
namespace Edge.Actors.Abstractions;

/// <summary>A fact recorded in an aggregate's event stream; named in the past tense, immutable.</summary>
public interface IDomainEvent;
