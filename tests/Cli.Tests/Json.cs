using System.Globalization;
using System.Text.Json;

namespace Edge.Actors.Cli.Tests;

/// <summary>Reading edgectl's JSON: protobuf JSON writes 64-bit integers as strings.</summary>
internal static class Json
{
    public static JsonElement Parse(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    public static string Text(this JsonElement element, string property) => element.GetProperty(property).GetString() ?? string.Empty;

    public static long Int64(this JsonElement element, string property)
    {
        var value = element.GetProperty(property);
        return value.ValueKind == JsonValueKind.String ? long.Parse(value.GetString()!, CultureInfo.InvariantCulture) : value.GetInt64();
    }
}
