using System.Globalization;
using System.Text.Json;
using Edge.Actors.Abstractions;

namespace Edge.Actors.Mqtt;

/// <summary>
/// The EdgeX event codec: turns one southbound MQTT message into a <see cref="DeviceEvent"/>, or into a
/// <see cref="DeadLetter"/> whose reason names the offending field (<c>event.readings[2].value: "abc" is not a Float64</c>).
/// Accepts an EdgeX <c>AddEventRequest</c> (<c>{apiVersion, requestId, event:{…}}</c>) or a bare event object.
/// </summary>
public static class EdgeXPayload
{
    /// <summary>A generous default for one EdgeX event; a device that needs more should send Binary readings elsewhere.</summary>
    public const int DefaultMaxBytes = 256 * 1024;

    // Duplicate keys are refused: with two "deviceName"s a device could pass the topic check with one and be read by the other.
    private static readonly JsonDocumentOptions Options = new() { AllowDuplicateProperties = false, MaxDepth = 64 };

    /// <summary>Parses <paramref name="topic"/> first (an unknown topic is <see cref="DeadLetterReason.UnparsableTopic"/>), then the payload.</summary>
    public static EdgeXParseResult Parse(string topic, ReadOnlySpan<byte> payload, int maxBytes) =>
        Topics.TryParseEdgeX(topic, out var parsed, out var reason)
            ? Parse(parsed, payload, maxBytes)
            : EdgeXParseResult.Refused(DeadLetterReason.UnparsableTopic, $"topic: {reason}");

    /// <summary>Parses one EdgeX event published on <paramref name="topic"/>; never throws for bad input.</summary>
    public static EdgeXParseResult Parse(Topics.EdgeXTopic topic, ReadOnlySpan<byte> payload, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(topic);
        if (payload.Length > maxBytes)
        {
            return EdgeXParseResult.Refused(DeadLetterReason.Oversize, $"payload: {payload.Length} bytes is over the limit of {maxBytes} bytes");
        }
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(payload.ToArray(), Options);
        }
        catch (JsonException e)
        {
            return EdgeXParseResult.Refused(DeadLetterReason.MalformedJson, $"payload: {e.Message}");
        }
        using (doc)
        {
            try
            {
                return EdgeXParseResult.Ok(ReadEnvelope(topic, doc.RootElement));
            }
            catch (RefusedException refused)
            {
                // Refusals unwind by exception: the readers stay straight-line code, and a dead letter is the rare path.
                return EdgeXParseResult.Refused(refused.Code, refused.Message);
            }
        }
    }

    private static DeviceEvent ReadEnvelope(Topics.EdgeXTopic topic, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw WrongType("payload", "an object", root);
        }
        if (!root.TryGetProperty("event", out var ev))
        {
            return ReadEvent(topic, root, string.Empty);
        }
        OptionalString(root, "apiVersion", string.Empty);
        OptionalString(root, "requestId", string.Empty);
        return ev.ValueKind switch
        {
            JsonValueKind.Object => ReadEvent(topic, ev, "event"),
            JsonValueKind.Null => throw Refuse(DeadLetterReason.MissingField, "event is required"),
            _ => throw WrongType("event", "an object", ev),
        };
    }

    private static DeviceEvent ReadEvent(Topics.EdgeXTopic topic, JsonElement ev, string path)
    {
        OptionalString(ev, "apiVersion", path);
        var id = RequiredString(ev, "id", path);
        var device = Matching(RequiredString(ev, "deviceName", path), topic.Device, Join(path, "deviceName"), "the topic's device");
        var profile = Matching(RequiredString(ev, "profileName", path), topic.Profile, Join(path, "profileName"), "the topic's profile");
        var source = Matching(RequiredString(ev, "sourceName", path), topic.Source, Join(path, "sourceName"), "the topic's source");
        var origin = RequiredOrigin(ev, "origin", path);

        var readingsPath = Join(path, "readings");
        var readings = Required(ev, "readings", path);
        if (readings.ValueKind != JsonValueKind.Array)
        {
            throw WrongType(readingsPath, "an array", readings);
        }
        if (readings.GetArrayLength() == 0)
        {
            throw Refuse(DeadLetterReason.BadValue, $"{readingsPath}: an event holds at least one reading");
        }
        var list = new List<DeviceReading>(readings.GetArrayLength());
        var i = 0;
        foreach (var reading in readings.EnumerateArray())
        {
            list.Add(ReadReading(reading, $"{readingsPath}[{i++}]", device, profile, origin));
        }
        return new DeviceEvent(topic.Service, profile, device, source, id, origin, list, ReadTags(ev, path));
    }

    private static DeviceReading ReadReading(JsonElement r, string path, string device, string profile, long eventOrigin)
    {
        if (r.ValueKind != JsonValueKind.Object)
        {
            throw WrongType(path, "an object", r);
        }
        OptionalString(r, "id", path);
        var resource = RequiredString(r, "resourceName", path);
        // EdgeX repeats the device and profile on every reading; a reading that names another device is a spoof or a bug.
        if (OptionalString(r, "deviceName", path) is { } readingDevice)
        {
            Matching(readingDevice, device, Join(path, "deviceName"), "the event's device");
        }
        if (OptionalString(r, "profileName", path) is { } readingProfile)
        {
            Matching(readingProfile, profile, Join(path, "profileName"), "the event's profile");
        }
        var typeName = RequiredString(r, "valueType", path);
        if (!EdgeXValueType.TryFind(typeName, out var type))
        {
            throw Refuse(DeadLetterReason.BadValue, $"{Join(path, "valueType")}: \"{typeName}\" is not an EdgeX value type");
        }
        // EdgeX requires a reading origin; a producer that leaves it out means "when the event happened".
        var origin = r.TryGetProperty("origin", out var o) && o.ValueKind != JsonValueKind.Null ? Origin(o, Join(path, "origin")) : eventOrigin;
        var units = OptionalString(r, "units", path);

        return type.Shape switch
        {
            ValueShape.Binary => ReadBinary(r, path, resource, type, units, origin),
            ValueShape.Object or ValueShape.ObjectArray => ReadObject(r, path, resource, type, units, origin),
            _ => ReadSimple(r, path, resource, type, units, origin),
        };
    }

    private static DeviceReading ReadSimple(JsonElement r, string path, string resource, EdgeXValueType type, string? units, long origin)
    {
        var valuePath = Join(path, "value");
        var value = Required(r, "value", path, allowNull: true, $"for a{Article(type.Name)} {type.Name} reading");
        string text;
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                // An EdgeX null reading: the device answered, with no value.
                return new DeviceReading(resource, type.Name, null, null, null, null, null, units, origin);
            case JsonValueKind.String:
                text = value.GetString()!;
                break;
            case JsonValueKind.Number when type.Shape == ValueShape.Scalar && type.Scalar is not (Scalar.Bool or Scalar.String):
                // EdgeX's NumericReading sends the number itself; keep its text exactly as sent.
                text = value.GetRawText();
                break;
            default:
                throw WrongType(valuePath, "a string", value);
        }

        if (type.Shape == ValueShape.Array)
        {
            CheckArray(text, valuePath, type);
            return new DeviceReading(resource, type.Name, text, null, null, null, null, units, origin);
        }
        var number = ParseScalar(text, type.Scalar, out var error);
        if (error is not null)
        {
            throw Refuse(DeadLetterReason.BadValue, $"{valuePath}: {error}");
        }
        return new DeviceReading(resource, type.Name, text, number, null, null, null, units, origin);
    }

    // EdgeX writes arrays as Go prints them with ", " between elements: "[1, 2, 3]", "[true, false]",
    // "[1.5e+00, 2e+00]", and strings unquoted ("[a, b]"), so this is not JSON and is not read as JSON.
    private static void CheckArray(string text, string path, EdgeXValueType type)
    {
        if (text.Length < 2 || text[0] != '[' || text[^1] != ']')
        {
            throw Refuse(DeadLetterReason.BadValue, $"{path}: \"{Clip(text)}\" is not a{Article(type.Name)} {type.Name} (expected \"[v1, v2, …]\")");
        }
        var inner = text.AsSpan(1, text.Length - 2).Trim();
        if (inner.IsEmpty || type.Scalar == Scalar.String)
        {
            return;
        }
        var index = 0;
        foreach (var range in inner.Split(','))
        {
            var element = inner[range].Trim().ToString();
            ParseScalar(element, type.Scalar, out var error);
            if (error is not null)
            {
                throw Refuse(DeadLetterReason.BadValue, $"{path}[{index}]: {error}");
            }
            index++;
        }
    }

    private static DeviceReading ReadBinary(JsonElement r, string path, string resource, EdgeXValueType type, string? units, long origin)
    {
        var binaryPath = Join(path, "binaryValue");
        var value = Required(r, "binaryValue", path, allowNull: true, "for a Binary reading");
        if (value.ValueKind == JsonValueKind.Null)
        {
            return new DeviceReading(resource, type.Name, null, null, null, null, null, units, origin);
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            throw WrongType(binaryPath, "a base64 string", value);
        }
        if (!value.TryGetBytesFromBase64(out var bytes))
        {
            throw Refuse(DeadLetterReason.BadValue, $"{binaryPath}: is not base64");
        }
        var mediaType = RequiredString(r, "mediaType", path, "with a binaryValue");
        return new DeviceReading(resource, type.Name, null, null, bytes, mediaType, null, units, origin);
    }

    private static DeviceReading ReadObject(JsonElement r, string path, string resource, EdgeXValueType type, string? units, long origin)
    {
        var value = Required(r, "objectValue", path, allowNull: true, $"for a{Article(type.Name)} {type.Name} reading");
        if (value.ValueKind == JsonValueKind.Null)
        {
            return new DeviceReading(resource, type.Name, null, null, null, null, null, units, origin);
        }
        if (type.Shape == ValueShape.ObjectArray && value.ValueKind != JsonValueKind.Array)
        {
            throw WrongType(Join(path, "objectValue"), "an array", value);
        }
        return new DeviceReading(resource, type.Name, null, null, null, null, value.GetRawText(), units, origin);
    }

    private static Dictionary<string, string>? ReadTags(JsonElement ev, string path)
    {
        if (!ev.TryGetProperty("tags", out var tags) || tags.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (tags.ValueKind != JsonValueKind.Object)
        {
            throw WrongType(Join(path, "tags"), "an object", tags);
        }
        // EdgeX tags are map[string]any: strings stay strings, anything else keeps its JSON text.
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in tags.EnumerateObject())
        {
            result[tag.Name] = tag.Value.ValueKind == JsonValueKind.String ? tag.Value.GetString()! : tag.Value.GetRawText();
        }
        return result;
    }

    /// <summary>
    /// Parses one scalar as EdgeX formats it: Go <c>strconv</c> rules for Bool and the integers (range-checked),
    /// decimal or e-notation for floats. Returns the comparable number (Bool: 1/0; String: null) or sets <paramref name="error"/>.
    /// </summary>
    private static double? ParseScalar(string text, Scalar scalar, out string? error)
    {
        error = null;
        switch (scalar)
        {
            case Scalar.String:
                return null;
            case Scalar.Bool:
                // Go's strconv.ParseBool, which EdgeX validates with.
                switch (text)
                {
                    case "1" or "t" or "T" or "true" or "TRUE" or "True":
                        return 1;
                    case "0" or "f" or "F" or "false" or "FALSE" or "False":
                        return 0;
                    default:
                        error = $"\"{Clip(text)}\" is not a Bool (true or false)";
                        return null;
                }
            case Scalar.Float32 or Scalar.Float64:
                if (double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var d)
                    && double.IsFinite(d) && (scalar == Scalar.Float64 || Math.Abs(d) <= float.MaxValue))
                {
                    return d;
                }
                error = $"\"{Clip(text)}\" is not a {scalar}"
                    + (LooksLikeBase64Float(text, scalar) ? " (base64-encoded floats of older EdgeX services are not accepted; send decimal or e-notation)" : string.Empty);
                return null;
            case Scalar.Uint8 or Scalar.Uint16 or Scalar.Uint32 or Scalar.Uint64:
                var umax = scalar switch { Scalar.Uint8 => byte.MaxValue, Scalar.Uint16 => ushort.MaxValue, Scalar.Uint32 => uint.MaxValue, _ => ulong.MaxValue };
                if (ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var u) && u <= umax)
                {
                    return u;
                }
                error = $"\"{Clip(text)}\" is not a {scalar} (0 to {umax})";
                return null;
            default:
                var (min, max) = scalar switch
                {
                    Scalar.Int8 => (sbyte.MinValue, sbyte.MaxValue),
                    Scalar.Int16 => (short.MinValue, short.MaxValue),
                    Scalar.Int32 => (int.MinValue, int.MaxValue),
                    _ => (long.MinValue, long.MaxValue),
                };
                if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) && l >= min && l <= max)
                {
                    return l;
                }
                error = $"\"{Clip(text)}\" is not an {scalar} ({min} to {max})";
                return null;
        }
    }

    private static bool LooksLikeBase64Float(string text, Scalar scalar)
    {
        Span<byte> buffer = stackalloc byte[8];
        return Convert.TryFromBase64String(text, buffer, out var written) && written == (scalar == Scalar.Float32 ? 4 : 8);
    }

    private static JsonElement Required(JsonElement obj, string name, string path, bool allowNull = false, string? context = null)
    {
        if (!obj.TryGetProperty(name, out var value) || (!allowNull && value.ValueKind == JsonValueKind.Null))
        {
            throw Refuse(DeadLetterReason.MissingField, $"{Join(path, name)} is required{(context is null ? string.Empty : " " + context)}");
        }
        return value;
    }

    private static string RequiredString(JsonElement obj, string name, string path, string? context = null)
    {
        var value = Required(obj, name, path, context: context);
        if (value.ValueKind != JsonValueKind.String)
        {
            throw WrongType(Join(path, name), "a string", value);
        }
        var text = value.GetString()!;
        return string.IsNullOrWhiteSpace(text) ? throw Refuse(DeadLetterReason.BadValue, $"{Join(path, name)}: must not be empty") : text;
    }

    private static string? OptionalString(JsonElement obj, string name, string path)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw WrongType(Join(path, name), "a string", value);
    }

    private static long RequiredOrigin(JsonElement obj, string name, string path) => Origin(Required(obj, name, path), Join(path, name));

    private static long Origin(JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Number)
        {
            throw WrongType(path, "a number (nanoseconds since the Unix epoch)", value);
        }
        return value.TryGetInt64(out var ns) && ns > 0
            ? ns
            : throw Refuse(DeadLetterReason.BadValue, $"{path}: {Clip(value.GetRawText())} is not a positive integer of nanoseconds since the Unix epoch");
    }

    private static string Matching(string actual, string expected, string path, string what) =>
        string.Equals(actual, expected, StringComparison.Ordinal)
            ? actual
            : throw Refuse(DeadLetterReason.TopicMismatch, $"{path}: \"{Clip(actual)}\" does not match {what} \"{Clip(expected)}\"");

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static string Article(string typeName) => typeName[0] is 'I' or 'O' or 'A' or 'E' ? "n" : string.Empty;

    // Reasons quote what the device sent; a few dozen characters identify it without echoing a whole payload.
    private static string Clip(string text) => text.Length <= 64 ? text : string.Concat(text.AsSpan(0, 61), "...");

    private static RefusedException Refuse(DeadLetterReason code, string message) => new(code, message);

    private static RefusedException WrongType(string path, string expected, JsonElement actual) =>
        new(DeadLetterReason.WrongType, $"{path}: expected {expected}, got {Kind(actual.ValueKind)}");

    private static string Kind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private sealed class RefusedException(DeadLetterReason code, string message) : Exception(message)
    {
        public DeadLetterReason Code { get; } = code;
    }
}
