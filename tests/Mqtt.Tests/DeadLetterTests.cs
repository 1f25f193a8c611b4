using System.Text;
using System.Text.Json;

namespace Edge.Actors.Mqtt.Tests;

public sealed class DeadLetterTests
{
    private static readonly DateTimeOffset ReceivedAt = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly DeadLetter Refusal = new(DeadLetterReason.BadValue, "event.readings[0].value: \"abc\" is not a Float64");
    private const string Topic = "edgex/events/device/svc/p/d/s";

    [Fact]
    public void Create_Utf8Payload_KeepsItAsTextAndRoundTripsThroughJson()
    {
        var payload = Encoding.UTF8.GetBytes("""{"event":"température"}""");

        var message = DeadLetterMessage.Create(Refusal, Topic, payload, ReceivedAt);
        var json = message.ToUtf8Json();

        Assert.Equal(message, DeadLetterMessage.FromUtf8Json(json));
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal("BadValue", root.GetProperty("code").GetString());
        Assert.Equal(Refusal.Reason, root.GetProperty("reason").GetString());
        Assert.Equal(Topic, root.GetProperty("topic").GetString());
        Assert.Equal(payload.Length, root.GetProperty("payloadBytes").GetInt32());
        Assert.Equal("utf-8", root.GetProperty("payloadEncoding").GetString());
        Assert.False(root.GetProperty("payloadTruncated").GetBoolean());
        Assert.Equal("""{"event":"température"}""", root.GetProperty("payload").GetString());
        Assert.Equal(ReceivedAt, root.GetProperty("receivedAt").GetDateTimeOffset());
    }

    [Fact]
    public void Create_BinaryPayload_KeepsItAsBase64()
    {
        byte[] payload = [0xFF, 0xFE, 0x00, 0x80];

        var message = DeadLetterMessage.Create(Refusal, Topic, payload, ReceivedAt);

        Assert.True(message.PayloadIsBase64);
        Assert.Equal(payload, Convert.FromBase64String(message.Payload));
    }

    [Fact]
    public void Create_LargePayload_IsTruncatedButCountsItsFullSize()
    {
        var payload = Encoding.UTF8.GetBytes(new string('x', 10_000));

        var message = DeadLetterMessage.Create(Refusal, Topic, payload, ReceivedAt);

        Assert.True(message.PayloadTruncated);
        Assert.Equal(10_000, message.PayloadBytes);
        Assert.Equal(DeadLetterMessage.DefaultMaxPayloadBytes, message.Payload.Length);
    }

    [Fact]
    public void Create_CutThroughAMultiByteCharacter_StaysText()
    {
        // "é" is two bytes; a limit of 4 cuts "aaaé" after its first byte.
        var payload = Encoding.UTF8.GetBytes("aaaéb");

        var message = DeadLetterMessage.Create(Refusal, Topic, payload, ReceivedAt, maxPayloadBytes: 4);

        Assert.False(message.PayloadIsBase64);
        Assert.True(message.PayloadTruncated);
        Assert.Equal("aaa", message.Payload);
    }

    [Fact]
    public void Create_FromAParseResult_CarriesItsCodeAndReason()
    {
        var payload = Encoding.UTF8.GetBytes("{");
        var result = EdgeXPayload.Parse(Topic, payload, 1024);

        var message = DeadLetterMessage.Create(result.DeadLetter!, Topic, payload, ReceivedAt);

        Assert.Equal(DeadLetterReason.MalformedJson, message.Code);
        Assert.Equal(result.DeadLetter!.Reason, message.Reason);
    }

    [Fact]
    public void Counters_ConcurrentIncrements_AreAllCounted()
    {
        var counters = new DeadLetterCounters();

        Parallel.For(0, 10_000, i => counters.Increment(i % 2 == 0 ? DeadLetterReason.MalformedJson : DeadLetterReason.Oversize));

        Assert.Equal(5_000, counters[DeadLetterReason.MalformedJson]);
        Assert.Equal(5_000, counters[DeadLetterReason.Oversize]);
        Assert.Equal(10_000, counters.Total);
    }

    [Fact]
    public void Counters_Snapshot_ListsEveryReasonIncludingZeros()
    {
        var counters = new DeadLetterCounters();
        counters.Increment(DeadLetterReason.TopicMismatch);

        var snapshot = counters.Snapshot();
        counters.Increment(DeadLetterReason.TopicMismatch);

        Assert.Equal(Enum.GetValues<DeadLetterReason>().Length, snapshot.Count);
        Assert.Equal(1, snapshot[DeadLetterReason.TopicMismatch]);
        Assert.Equal(0, snapshot[DeadLetterReason.Unauthorized]);
    }

    [Fact]
    public void Counters_UndefinedReason_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new DeadLetterCounters().Increment((DeadLetterReason)99));
}
