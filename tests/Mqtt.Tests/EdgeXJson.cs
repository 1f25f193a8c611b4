using System.Text;

namespace Edge.Actors.Mqtt.Tests;

/// <summary>EdgeX payloads as device services publish them, built from small pieces so each test shows only what it varies.</summary>
internal static class EdgeXJson
{
    public const string Service = "device-modbus";
    public const string Profile = "Thermo-Profile";
    public const string Device = "Thermo-1";
    public const string Source = "temperature";
    public const long Origin = 1_700_000_000_000_000_000;

    public static Topics.EdgeXTopic V3 { get; } = new(Service, Profile, Device, Source);

    public static Topics.EdgeXTopic V2 { get; } = new(null, Profile, Device, Source);

    public static string Reading(string valueType, string valueFields, string resource = "temperature") =>
        $$"""{"id":"7c1f","origin":{{Origin + 1}},"deviceName":"{{Device}}","resourceName":"{{resource}}","profileName":"{{Profile}}","valueType":"{{valueType}}","units":"C",{{valueFields}}}""";

    public static string Event(params string[] readings) =>
        $$$"""{"apiVersion":"v3","id":"e-1","deviceName":"{{{Device}}}","profileName":"{{{Profile}}}","sourceName":"{{{Source}}}","origin":{{{Origin}}},"readings":[{{{string.Join(",", readings)}}}],"tags":{"room":"r-7","floor":3}}""";

    public static string Request(string ev) => $$"""{"apiVersion":"v3","requestId":"q-1","event":{{ev}}}""";

    public static byte[] Bytes(string json) => Encoding.UTF8.GetBytes(json);

    public static EdgeXParseResult Parse(string json, Topics.EdgeXTopic? topic = null, int maxBytes = EdgeXPayload.DefaultMaxBytes) =>
        EdgeXPayload.Parse(topic ?? V3, Bytes(json), maxBytes);
}
