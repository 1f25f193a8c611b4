using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Edge.Actors.EventStore;

/// <summary>Checks an append before anything reaches storage, so bad input changes nothing and names the argument.</summary>
internal static class AppendValidation
{
    public static int Validate(string? streamId, long expectedVersion, IReadOnlyList<EventData>? events, EventStoreOptions options)
    {
        ValidateStreamId(streamId, options);
        if (expectedVersion < 0)
        {
            throw new InvalidEventStoreInputException(nameof(expectedVersion), $"expected version must be 0 or more, was {expectedVersion}");
        }

        if (events is null || events.Count == 0)
        {
            throw new InvalidEventStoreInputException(nameof(events), "an append needs at least one event");
        }

        var ids = new HashSet<Guid>();
        var totalBytes = 0;
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i] ?? throw new InvalidEventStoreInputException($"events[{i}]", "event is null");
            if (e.EventId == Guid.Empty)
            {
                throw new InvalidEventStoreInputException($"events[{i}].EventId", "event id must not be empty");
            }

            if (!ids.Add(e.EventId))
            {
                throw new InvalidEventStoreInputException($"events[{i}].EventId", $"event id {e.EventId} appears twice in one append");
            }

            if (string.IsNullOrWhiteSpace(e.EventType))
            {
                throw new InvalidEventStoreInputException($"events[{i}].EventType", "event type must not be empty");
            }

            if (e.SchemaVersion < 1)
            {
                throw new InvalidEventStoreInputException($"events[{i}].SchemaVersion", "schema version must be 1 or more");
            }

            if (string.IsNullOrEmpty(e.Payload))
            {
                throw new InvalidEventStoreInputException($"events[{i}].Payload", "payload must be a JSON document");
            }

            totalBytes += RequireJson(e.Payload, options.MaxEventBytes, $"events[{i}].Payload");
        }

        return totalBytes;
    }

    /// <summary>
    /// Refuses a payload over <paramref name="maxBytes"/> of UTF-8 or that is not exactly one JSON document, and returns
    /// its size. Every append and snapshot passes here, so the payload is encoded once and its tokens read through
    /// without building a document (a snapshot of a site's ledger is hundreds of kilobytes).
    /// </summary>
    private static int RequireJson(string payload, int maxBytes, string paramName)
    {
        // Every character is at least one byte: a payload this long is refused before anything is allocated for it.
        if (payload.Length > maxBytes)
        {
            throw new EventTooLargeException(paramName, Encoding.UTF8.GetByteCount(payload), maxBytes);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(payload.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(payload, buffer);
            if (length > maxBytes)
            {
                throw new EventTooLargeException(paramName, length, maxBytes);
            }

            var reader = new Utf8JsonReader(buffer.AsSpan(0, length), new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            var tokens = 0;
            while (reader.Read())
            {
                tokens++;
            }

            if (tokens == 0)
            {
                throw new InvalidEventStoreInputException(paramName, "payload is not a JSON document: it holds no value");
            }

            return length;
        }
        catch (JsonException ex)
        {
            throw new InvalidEventStoreInputException(paramName, $"payload is not a JSON document: {ex.Message}");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public static void ValidateStreamId(string? streamId, EventStoreOptions options)
    {
        if (string.IsNullOrWhiteSpace(streamId))
        {
            throw new InvalidEventStoreInputException(nameof(streamId), "stream id must not be empty");
        }

        if (streamId.Length > options.MaxStreamIdLength)
        {
            throw new InvalidEventStoreInputException(nameof(streamId), $"stream id is {streamId.Length} characters, over the limit of {options.MaxStreamIdLength}");
        }
    }

    public static void ValidateSnapshot(StreamSnapshot? snapshot, EventStoreOptions options)
    {
        if (snapshot is null)
        {
            throw new InvalidEventStoreInputException(nameof(snapshot), "snapshot is null");
        }

        ValidateStreamId(snapshot.StreamId, options);
        if (snapshot.Version < 1)
        {
            throw new InvalidEventStoreInputException("snapshot.Version", "a snapshot is taken after at least one event");
        }

        if (string.IsNullOrWhiteSpace(snapshot.StateType) || string.IsNullOrEmpty(snapshot.Payload))
        {
            throw new InvalidEventStoreInputException("snapshot.Payload", "a snapshot needs a state type and a JSON payload");
        }

        RequireJson(snapshot.Payload, int.MaxValue, "snapshot.Payload");
    }
}
