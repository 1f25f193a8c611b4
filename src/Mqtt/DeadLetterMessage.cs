using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Edge.Actors.Mqtt;

/// <summary>
/// What the bridge publishes on <see cref="Topics.DeadLetter"/> for a refused message: why, where it came from, how big
/// it was and (truncated) what it said, so an operator can fix the device without a packet capture. <see cref="Payload"/> is
/// UTF-8 text, or base64 when <see cref="PayloadIsBase64"/>; <see cref="PayloadTruncated"/> when only the first bytes are kept.
/// </summary>
public sealed record DeadLetterMessage(
    DeadLetterReason Code,
    string Reason,
    string Topic,
    int PayloadBytes,
    string Payload,
    bool PayloadIsBase64,
    bool PayloadTruncated,
    DateTimeOffset ReceivedAt)
{
    /// <summary>How much of the payload a dead letter carries by default: enough to read the fault, small enough for any broker.</summary>
    public const int DefaultMaxPayloadBytes = 4096;

    /// <summary>Builds the dead letter for <paramref name="payload"/> received on <paramref name="topic"/>.</summary>
    public static DeadLetterMessage Create(DeadLetter deadLetter, string topic, ReadOnlySpan<byte> payload, DateTimeOffset receivedAt, int maxPayloadBytes = DefaultMaxPayloadBytes)
    {
        ArgumentNullException.ThrowIfNull(deadLetter);
        ArgumentOutOfRangeException.ThrowIfNegative(maxPayloadBytes);
        var truncated = payload.Length > maxPayloadBytes;
        var kept = truncated ? payload[..maxPayloadBytes] : payload;
        if (truncated)
        {
            // A cut may split a multi-byte character; drop its leading bytes rather than call the text binary.
            for (var drop = 1; drop <= 3 && !Utf8.IsValid(kept) && kept.Length > 0; drop++)
            {
                kept = kept[..^1];
            }
        }
        var isText = Utf8.IsValid(kept);
        var text = isText ? Encoding.UTF8.GetString(kept) : Convert.ToBase64String(truncated ? payload[..maxPayloadBytes] : payload);
        return new DeadLetterMessage(deadLetter.Code, deadLetter.Reason, topic, payload.Length, text, !isText, truncated, receivedAt);
    }

    /// <summary>The JSON published on the dead-letter topic.</summary>
    public byte[] ToUtf8Json()
    {
        var buffer = new ArrayBufferWriter<byte>(256 + Payload.Length);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("code", Code.ToString());
            json.WriteString("reason", Reason);
            json.WriteString("topic", Topic);
            json.WriteNumber("payloadBytes", PayloadBytes);
            json.WriteString("payloadEncoding", PayloadIsBase64 ? "base64" : "utf-8");
            json.WriteBoolean("payloadTruncated", PayloadTruncated);
            json.WriteString("payload", Payload);
            json.WriteString("receivedAt", ReceivedAt);
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a dead letter back (for tools and tests that subscribe to the dead-letter topic).</summary>
    public static DeadLetterMessage FromUtf8Json(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        using var doc = JsonDocument.ParseValue(ref reader);
        var root = doc.RootElement;
        return new DeadLetterMessage(
            Enum.Parse<DeadLetterReason>(root.GetProperty("code").GetString()!),
            root.GetProperty("reason").GetString()!,
            root.GetProperty("topic").GetString()!,
            root.GetProperty("payloadBytes").GetInt32(),
            root.GetProperty("payload").GetString()!,
            root.GetProperty("payloadEncoding").GetString() == "base64",
            root.GetProperty("payloadTruncated").GetBoolean(),
            root.GetProperty("receivedAt").GetDateTimeOffset());
    }
}
