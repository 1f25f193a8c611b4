namespace Edge.Actors.EventStore;

/// <summary>Bad input to the event store: the argument named by <see cref="ArgumentException.ParamName"/> is refused and nothing is stored.</summary>
public class InvalidEventStoreInputException(string paramName, string message)
    : ArgumentException(message, paramName);

/// <summary>An event whose payload is larger than <see cref="EventStoreOptions.MaxEventBytes"/>.</summary>
public sealed class EventTooLargeException(string paramName, int sizeBytes, int limitBytes)
    : InvalidEventStoreInputException(paramName, $"event payload is {sizeBytes} bytes, over the limit of {limitBytes} bytes")
{
    public int SizeBytes { get; } = sizeBytes;

    public int LimitBytes { get; } = limitBytes;
}

/// <summary>An append whose event ids are already stored in the stream at other versions: the caller reused ids.</summary>
public sealed class DuplicateEventIdException(string streamId)
    : InvalidEventStoreInputException("events", $"stream '{streamId}' already holds an event with one of these event ids at other versions");

/// <summary>A stored event whose type name no registered event type answers to.</summary>
public sealed class UnknownEventTypeException(string eventType, string streamId, long version)
    : Exception($"event type '{eventType}' (stream '{streamId}', version {version}) is not registered")
{
    public string EventType { get; } = eventType;
}

/// <summary>The store could not be reached or did not answer after retrying; the outcome of the appends is unknown until retried with the same event ids.</summary>
public sealed class EventStoreUnavailableException(string message, Exception? innerException)
    : Exception(message, innerException);

/// <summary>The store could not be opened: its location or schema is unusable. The message names the setting.</summary>
public sealed class EventStoreStartupException(string message, Exception? innerException)
    : Exception(message, innerException);
