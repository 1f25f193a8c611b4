using static Edge.Actors.Mqtt.Tests.EdgeXJson;

namespace Edge.Actors.Mqtt.Tests;

public sealed class EdgeXPayloadTests
{
    /// <summary>valueType, the reading's value fields, the Value kept, the Number for threshold rules.</summary>
    public static TheoryData<string, string, string?, double?> GoodSimpleValues => new()
    {
        { "Bool", "\"value\":\"true\"", "true", 1 },
        { "Bool", "\"value\":\"False\"", "False", 0 },
        { "String", "\"value\":\"door open\"", "door open", null },
        { "Uint8", "\"value\":\"255\"", "255", 255 },
        { "Uint16", "\"value\":\"65535\"", "65535", 65535 },
        { "Uint32", "\"value\":\"4294967295\"", "4294967295", 4294967295 },
        { "Uint64", "\"value\":\"18446744073709551615\"", "18446744073709551615", 18446744073709551615d },
        { "Int8", "\"value\":\"-128\"", "-128", -128 },
        { "Int16", "\"value\":\"-32768\"", "-32768", -32768 },
        { "Int32", "\"value\":\"+2147483647\"", "+2147483647", 2147483647 },
        { "Int64", "\"value\":\"-9223372036854775808\"", "-9223372036854775808", -9223372036854775808d },
        { "Float32", "\"value\":\"1.5e+00\"", "1.5e+00", 1.5 },
        { "Float64", "\"value\":\"2.5e-03\"", "2.5e-03", 0.0025 },
        { "Float64", "\"value\":\"21.75\"", "21.75", 21.75 },
        { "Float64", "\"value\":-3", "-3", -3 },
        { "Int32", "\"value\":42", "42", 42 },
        { "float64", "\"value\":\"1e2\"", "1e2", 100 },
        { "Float64", "\"value\":null", null, null },
        { "BoolArray", "\"value\":\"[true, false]\"", "[true, false]", null },
        { "StringArray", "\"value\":\"[open, closed]\"", "[open, closed]", null },
        { "Uint8Array", "\"value\":\"[0, 255]\"", "[0, 255]", null },
        { "Uint16Array", "\"value\":\"[0, 65535]\"", "[0, 65535]", null },
        { "Uint32Array", "\"value\":\"[4294967295]\"", "[4294967295]", null },
        { "Uint64Array", "\"value\":\"[18446744073709551615, 1]\"", "[18446744073709551615, 1]", null },
        { "Int8Array", "\"value\":\"[-128, 127]\"", "[-128, 127]", null },
        { "Int16Array", "\"value\":\"[-32768, 32767]\"", "[-32768, 32767]", null },
        { "Int32Array", "\"value\":\"[1, 2, 3]\"", "[1, 2, 3]", null },
        { "Int64Array", "\"value\":\"[-9223372036854775808]\"", "[-9223372036854775808]", null },
        { "Float32Array", "\"value\":\"[1.5e+00, -2e-01]\"", "[1.5e+00, -2e-01]", null },
        { "Float64Array", "\"value\":\"[2.5e-03, 21.75]\"", "[2.5e-03, 21.75]", null },
        { "Int32Array", "\"value\":\"[]\"", "[]", null },
    };

    [Theory]
    [MemberData(nameof(GoodSimpleValues))]
    public void Parse_EverySimpleValueType_KeepsValueAndSetsNumber(string valueType, string fields, string? value, double? number)
    {
        var result = Parse(Request(Event(Reading(valueType, fields))));

        Assert.True(result.IsEvent, result.DeadLetter?.Reason);
        var reading = Assert.Single(result.Event.Readings);
        Assert.Equal(valueType.Equals("float64", StringComparison.Ordinal) ? "Float64" : valueType, reading.ValueType);
        Assert.Equal(value, reading.Value);
        Assert.Equal(number, reading.Number);
        Assert.Equal("temperature", reading.Resource);
        Assert.Equal("C", reading.Units);
        Assert.Equal(Origin + 1, reading.OriginNs);
        Assert.Null(reading.Binary);
        Assert.Null(reading.ObjectJson);
    }

    [Fact]
    public void Parse_BinaryReading_DecodesBase64AndKeepsMediaType()
    {
        var result = Parse(Request(Event(Reading("Binary", "\"binaryValue\":\"AAEC/w==\",\"mediaType\":\"image/jpeg\"", "snapshot"))));

        Assert.True(result.IsEvent, result.DeadLetter?.Reason);
        var reading = Assert.Single(result.Event.Readings);
        Assert.Equal("Binary", reading.ValueType);
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, reading.Binary);
        Assert.Equal("image/jpeg", reading.MediaType);
        Assert.Null(reading.Value);
        Assert.Null(reading.Number);
    }

    [Theory]
    [InlineData("Object", """{"x":1,"y":[true,null]}""")]
    [InlineData("Object", "\"just text\"")]
    [InlineData("ObjectArray", """[{"x":1},{"x":2}]""")]
    public void Parse_ObjectReading_KeepsObjectValueAsJsonText(string valueType, string objectJson)
    {
        var result = Parse(Request(Event(Reading(valueType, $"\"objectValue\":{objectJson}"))));

        Assert.True(result.IsEvent, result.DeadLetter?.Reason);
        var reading = Assert.Single(result.Event.Readings);
        Assert.Equal(objectJson, reading.ObjectJson);
        Assert.Null(reading.Value);
        Assert.Null(reading.Number);
    }

    public static TheoryData<string, bool> TopicVersionsAndShapes => new() { { "v3", true }, { "v3", false }, { "v2", true }, { "v2", false } };

    [Theory]
    [MemberData(nameof(TopicVersionsAndShapes))]
    public void Parse_BothTopicVersionsRequestOrBareEvent_ReadsTheWholeEvent(string version, bool request)
    {
        var topic = version == "v3" ? V3 : V2;
        var ev = Event(Reading("Float64", "\"value\":\"2.15e+01\""), Reading("Bool", "\"value\":\"false\"", "alarm"));

        var result = Parse(request ? Request(ev) : ev, topic);

        Assert.True(result.IsEvent, result.DeadLetter?.Reason);
        var e = result.Event;
        Assert.Equal(topic.Service, e.Service);
        Assert.Equal((Profile, Device, Source, "e-1", Origin), (e.Profile, e.Device, e.Source, e.EventId, e.OriginNs));
        Assert.Equal([21.5, 0d], e.Readings.Select(r => r.Number!.Value));
        Assert.Equal(new Dictionary<string, string> { ["room"] = "r-7", ["floor"] = "3" }, e.Tags);
    }

    [Fact]
    public void Parse_ReadingWithoutOriginOrDeviceNames_TakesTheEventOnes()
    {
        var result = Parse(Event("""{"resourceName":"t","valueType":"Int16","value":"7"}"""));

        Assert.True(result.IsEvent, result.DeadLetter?.Reason);
        Assert.Equal(Origin, Assert.Single(result.Event.Readings).OriginNs);
    }

    [Fact]
    public void Parse_TopicStringWithEscapedNames_DecodesAndMatchesThePayload()
    {
        // EdgeX services with EnableNameFieldEscape URL-escape names in topics, dashes included.
        var topic = "edgex/events/device/device%2Dmodbus/Thermo%2DProfile/Thermo%2D1/temperature";

        var result = EdgeXPayload.Parse(topic, Bytes(Event(Reading("Int8", "\"value\":\"1\""))), 4096);

        Assert.True(result.IsEvent, result.DeadLetter?.Reason);
        Assert.Equal(("device-modbus", "Thermo-1"), (result.Event.Service, result.Event.Device));
    }

    /// <summary>A bad payload, the reason code it must get and the text its reason must contain (the field, at least).</summary>
    public static TheoryData<string, DeadLetterReason, string> BadPayloads => new()
    {
        { "", DeadLetterReason.MalformedJson, "payload:" },
        { "{", DeadLetterReason.MalformedJson, "payload:" },
        { "temperature=21.5", DeadLetterReason.MalformedJson, "payload:" },
        { Event(Reading("Int8", "\"value\":\"1\"")) + " {}", DeadLetterReason.MalformedJson, "payload:" },
        { """{"id":"e","deviceName":"Thermo-1","deviceName":"Other"}""", DeadLetterReason.MalformedJson, "payload:" },
        { "[1, 2]", DeadLetterReason.WrongType, "payload: expected an object, got an array" },
        { """{"apiVersion":"v3","event":null}""", DeadLetterReason.MissingField, "event is required" },
        { """{"apiVersion":"v3","event":"x"}""", DeadLetterReason.WrongType, "event: expected an object, got a string" },
        { """{"apiVersion":3,"event":{}}""", DeadLetterReason.WrongType, "apiVersion: expected a string" },
        { Request(Event(Reading("Int8", "\"value\":\"1\"")).Replace("\"id\":\"e-1\",", "", StringComparison.Ordinal)), DeadLetterReason.MissingField, "event.id is required" },
        { Request(Event(Reading("Int8", "\"value\":\"1\"")).Replace("\"id\":\"e-1\"", "\"id\":5", StringComparison.Ordinal)), DeadLetterReason.WrongType, "event.id: expected a string, got a number" },
        { Request(Event(Reading("Int8", "\"value\":\"1\"")).Replace("\"sourceName\":\"temperature\"", "\"sourceName\":\"\"", StringComparison.Ordinal)), DeadLetterReason.BadValue, "event.sourceName: must not be empty" },
        { Request(Event(Reading("Int8", "\"value\":\"1\"")).Replace($"\"origin\":{Origin},", "", StringComparison.Ordinal)), DeadLetterReason.MissingField, "event.origin is required" },
        { Request(Event(Reading("Int8", "\"value\":\"1\"")).Replace($"\"origin\":{Origin}", "\"origin\":\"1\"", StringComparison.Ordinal)), DeadLetterReason.WrongType, "event.origin: expected a number" },
        { Request(Event(Reading("Int8", "\"value\":\"1\"")).Replace($"\"origin\":{Origin}", "\"origin\":1.5", StringComparison.Ordinal)), DeadLetterReason.BadValue, "event.origin: 1.5 is not" },
        { Request(Event(Reading("Int8", "\"value\":\"1\"")).Replace($"\"origin\":{Origin}", "\"origin\":-1", StringComparison.Ordinal)), DeadLetterReason.BadValue, "event.origin: -1 is not" },
        { Request(Event(Reading("Int8", "\"value\":\"1\"")).Replace("\"tags\":{\"room\":\"r-7\",\"floor\":3}", "\"tags\":[]", StringComparison.Ordinal)), DeadLetterReason.WrongType, "event.tags: expected an object" },
        { """{"id":"e","deviceName":"Thermo-1","profileName":"Thermo-Profile","sourceName":"temperature","origin":1}""", DeadLetterReason.MissingField, "readings is required" },
        { """{"id":"e","deviceName":"Thermo-1","profileName":"Thermo-Profile","sourceName":"temperature","origin":1,"readings":{}}""", DeadLetterReason.WrongType, "readings: expected an array, got an object" },
        { Request(Event()), DeadLetterReason.BadValue, "event.readings: an event holds at least one reading" },
        { Request(Event("42")), DeadLetterReason.WrongType, "event.readings[0]: expected an object, got a number" },
        { Request(Event("""{"valueType":"Int8","value":"1"}""")), DeadLetterReason.MissingField, "event.readings[0].resourceName is required" },
        { Request(Event("""{"resourceName":"t","value":"1"}""")), DeadLetterReason.MissingField, "event.readings[0].valueType is required" },
        { Request(Event(Reading("Float128", "\"value\":\"1\""))), DeadLetterReason.BadValue, "event.readings[0].valueType: \"Float128\" is not an EdgeX value type" },
        { Request(Event(Reading("Float64", "\"v\":\"1\""))), DeadLetterReason.MissingField, "event.readings[0].value is required for a Float64 reading" },
        { Request(Event(Reading("Bool", "\"value\":true"))), DeadLetterReason.WrongType, "event.readings[0].value: expected a string, got a boolean" },
        { Request(Event(Reading("String", "\"value\":5"))), DeadLetterReason.WrongType, "event.readings[0].value: expected a string, got a number" },
        { Request(Event(Reading("Int8Array", "\"value\":[1,2]"))), DeadLetterReason.WrongType, "event.readings[0].value: expected a string, got an array" },
        { Request(Event(Reading("Float64", "\"value\":\"abc\""))), DeadLetterReason.BadValue, "event.readings[0].value: \"abc\" is not a Float64" },
        { Request(Event(Reading("Float64", "\"value\":\"QDXgAAAAAAA=\""))), DeadLetterReason.BadValue, "base64-encoded floats" },
        { Request(Event(Reading("Float32", "\"value\":\"QCAAAA==\""))), DeadLetterReason.BadValue, "base64-encoded floats" },
        { Request(Event(Reading("Float64", "\"value\":\"NaN\""))), DeadLetterReason.BadValue, "\"NaN\" is not a Float64" },
        { Request(Event(Reading("Float64", "\"value\":\"+Inf\""))), DeadLetterReason.BadValue, "\"+Inf\" is not a Float64" },
        { Request(Event(Reading("Float64", "\"value\":\"0x1p-2\""))), DeadLetterReason.BadValue, "\"0x1p-2\" is not a Float64" },
        { Request(Event(Reading("Float64", "\"value\":\" 1.5\""))), DeadLetterReason.BadValue, "\" 1.5\" is not a Float64" },
        { Request(Event(Reading("Float32", "\"value\":\"1e39\""))), DeadLetterReason.BadValue, "\"1e39\" is not a Float32" },
        { Request(Event(Reading("Uint8", "\"value\":\"256\""))), DeadLetterReason.BadValue, "\"256\" is not a Uint8 (0 to 255)" },
        { Request(Event(Reading("Uint8", "\"value\":\"-1\""))), DeadLetterReason.BadValue, "\"-1\" is not a Uint8 (0 to 255)" },
        { Request(Event(Reading("Uint16", "\"value\":\"65536\""))), DeadLetterReason.BadValue, "is not a Uint16 (0 to 65535)" },
        { Request(Event(Reading("Uint32", "\"value\":\"4294967296\""))), DeadLetterReason.BadValue, "is not a Uint32 (0 to 4294967295)" },
        { Request(Event(Reading("Uint64", "\"value\":\"18446744073709551616\""))), DeadLetterReason.BadValue, "is not a Uint64" },
        { Request(Event(Reading("Int8", "\"value\":\"128\""))), DeadLetterReason.BadValue, "\"128\" is not an Int8 (-128 to 127)" },
        { Request(Event(Reading("Int16", "\"value\":\"-32769\""))), DeadLetterReason.BadValue, "is not an Int16 (-32768 to 32767)" },
        { Request(Event(Reading("Int32", "\"value\":\"2147483648\""))), DeadLetterReason.BadValue, "is not an Int32" },
        { Request(Event(Reading("Int64", "\"value\":\"9223372036854775808\""))), DeadLetterReason.BadValue, "is not an Int64" },
        { Request(Event(Reading("Int32", "\"value\":\"1.0\""))), DeadLetterReason.BadValue, "\"1.0\" is not an Int32" },
        { Request(Event(Reading("Int32", "\"value\":1.5"))), DeadLetterReason.BadValue, "\"1.5\" is not an Int32" },
        { Request(Event(Reading("Bool", "\"value\":\"yes\""))), DeadLetterReason.BadValue, "\"yes\" is not a Bool" },
        { Request(Event(Reading("Uint8Array", "\"value\":\"[1, 300]\""))), DeadLetterReason.BadValue, "event.readings[0].value[1]: \"300\" is not a Uint8 (0 to 255)" },
        { Request(Event(Reading("Uint8Array", "\"value\":\"1, 2\""))), DeadLetterReason.BadValue, "event.readings[0].value: \"1, 2\" is not a Uint8Array" },
        { Request(Event(Reading("Float64Array", "\"value\":\"[1.5, x]\""))), DeadLetterReason.BadValue, "event.readings[0].value[1]: \"x\" is not a Float64" },
        { Request(Event(Reading("BoolArray", "\"value\":\"[true, ]\""))), DeadLetterReason.BadValue, "event.readings[0].value[1]: \"\" is not a Bool" },
        { Request(Event(Reading("Binary", "\"mediaType\":\"image/png\""))), DeadLetterReason.MissingField, "event.readings[0].binaryValue is required for a Binary reading" },
        { Request(Event(Reading("Binary", "\"binaryValue\":7,\"mediaType\":\"image/png\""))), DeadLetterReason.WrongType, "event.readings[0].binaryValue: expected a base64 string" },
        { Request(Event(Reading("Binary", "\"binaryValue\":\"not base64!\",\"mediaType\":\"image/png\""))), DeadLetterReason.BadValue, "event.readings[0].binaryValue: is not base64" },
        { Request(Event(Reading("Binary", "\"binaryValue\":\"AAE=\""))), DeadLetterReason.MissingField, "event.readings[0].mediaType is required with a binaryValue" },
        { Request(Event(Reading("Object", "\"value\":\"{}\""))), DeadLetterReason.MissingField, "event.readings[0].objectValue is required for an Object reading" },
        { Request(Event(Reading("ObjectArray", "\"objectValue\":{\"x\":1}"))), DeadLetterReason.WrongType, "event.readings[0].objectValue: expected an array, got an object" },
        { Request(Event("""{"resourceName":"t","valueType":"Int8","value":"1","origin":"now"}""")), DeadLetterReason.WrongType, "event.readings[0].origin: expected a number" },
        { Request(Event("""{"resourceName":"t","valueType":"Int8","value":"1","units":5}""")), DeadLetterReason.WrongType, "event.readings[0].units: expected a string" },
        { Request(Event(Reading("Int8", "\"value\":\"1\"").Replace("\"deviceName\":\"Thermo-1\"", "\"deviceName\":\"Thermo-2\"", StringComparison.Ordinal))), DeadLetterReason.TopicMismatch, "event.readings[0].deviceName: \"Thermo-2\" does not match the event's device \"Thermo-1\"" },
        { Request(Event(Reading("Int8", "\"value\":\"1\"").Replace("\"profileName\":\"Thermo-Profile\"", "\"profileName\":\"Other\"", StringComparison.Ordinal))), DeadLetterReason.TopicMismatch, "event.readings[0].profileName: \"Other\" does not match the event's profile" },
        { Request(Event(Reading("Int8", "\"value\":\"1\""), Reading("Bool", "\"value\":\"true\""), Reading("Float64", "\"value\":\"abc\""))), DeadLetterReason.BadValue, "event.readings[2].value: \"abc\" is not a Float64" },
    };

    [Theory]
    [MemberData(nameof(BadPayloads))]
    public void Parse_BadPayload_DeadLettersWithCodeAndField(string json, DeadLetterReason code, string reasonPart)
    {
        var result = Parse(json);

        Assert.False(result.IsEvent);
        Assert.Equal(code, result.DeadLetter.Code);
        Assert.Contains(reasonPart, result.DeadLetter.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TheBriefsExample_ReadsExactly()
    {
        var result = Parse(Event(Reading("Int8", "\"value\":\"1\""), Reading("Int8", "\"value\":\"2\""), Reading("Float64", "\"value\":\"abc\"")));

        Assert.Equal("readings[2].value: \"abc\" is not a Float64", result.DeadLetter?.Reason);
    }

    [Theory]
    [InlineData("deviceName", Device, "Thermo-9", "event.deviceName: \"Thermo-9\" does not match the topic's device \"Thermo-1\"")]
    [InlineData("profileName", Profile, "Hygro-Profile", "event.profileName: \"Hygro-Profile\" does not match the topic's profile \"Thermo-Profile\"")]
    [InlineData("sourceName", Source, "humidity", "event.sourceName: \"humidity\" does not match the topic's source \"temperature\"")]
    public void Parse_EventNamesAnotherDeviceProfileOrSource_IsTopicMismatch(string field, string topicValue, string payloadValue, string reason)
    {
        var json = Request(Event(Reading("Int8", "\"value\":\"1\"")).Replace($"\"{field}\":\"{topicValue}\"", $"\"{field}\":\"{payloadValue}\"", StringComparison.Ordinal));

        var result = Parse(json);

        Assert.Equal(new DeadLetter(DeadLetterReason.TopicMismatch, reason), result.DeadLetter);
    }

    [Theory]
    [InlineData("")]
    [InlineData("edgex/events/device")]
    [InlineData("edgex/events/device/")]
    [InlineData("edgex/events/device/Thermo-1/temperature")]
    [InlineData("edgex/events/device/a/b/c/d/e")]
    [InlineData("edgex/events/device/a//c")]
    [InlineData("edgex/events/device/a/+/c")]
    [InlineData("edgex/events/device/a/#/c")]
    [InlineData("edgex/events/core/a/b/c")]
    [InlineData("edge/s-042/hosts/worker-1/heartbeat")]
    public void Parse_UnknownTopic_IsUnparsableTopic(string topic)
    {
        var result = EdgeXPayload.Parse(topic, Bytes(Event(Reading("Int8", "\"value\":\"1\""))), 4096);

        Assert.Equal(DeadLetterReason.UnparsableTopic, result.DeadLetter?.Code);
        Assert.StartsWith("topic: ", result.DeadLetter!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_PayloadOverTheLimit_IsOversizeBeforeAnyParsing()
    {
        var json = Event(Reading("Int8", "\"value\":\"1\""));
        var bytes = Bytes(json);

        var atLimit = EdgeXPayload.Parse(V3, bytes, bytes.Length);
        var overLimit = EdgeXPayload.Parse(V3, Bytes(json + " "), bytes.Length);
        var garbageOverLimit = EdgeXPayload.Parse(V3, new byte[101], 100);

        Assert.True(atLimit.IsEvent);
        Assert.Equal(DeadLetterReason.Oversize, overLimit.DeadLetter?.Code);
        Assert.Equal($"payload: {bytes.Length + 1} bytes is over the limit of {bytes.Length} bytes", overLimit.DeadLetter!.Reason);
        Assert.Equal(DeadLetterReason.Oversize, garbageOverLimit.DeadLetter?.Code);
    }

    [Fact]
    public void Parse_DeeplyNestedObjectValue_IsMalformedNotACrash()
    {
        var deep = new string('[', 200) + new string(']', 200);

        var result = Parse(Event(Reading("Object", $"\"objectValue\":{deep}")));

        Assert.Equal(DeadLetterReason.MalformedJson, result.DeadLetter?.Code);
    }
}
