using System.Text.RegularExpressions;

namespace Edge.Actors.Abstractions;

/// <summary>Names and grain keys: a site id, and <c>site/name</c> for what lives in a site.</summary>
public static partial class ResourceNames
{
    /// <summary>Lower-case letters, digits and inner dashes, 1–63 characters (a DNS label).</summary>
    public static bool IsValidName(string? name) => name is not null && NamePattern().IsMatch(name);

    /// <summary>A refusal naming <paramref name="field"/> when <paramref name="name"/> is not a valid name, else null.</summary>
    public static Refusal? CheckName(string? name, string field) =>
        IsValidName(name) ? null : new Refusal(EdgeErrorCode.InvalidArgument, $"{field} must be 1-63 lower-case letters, digits or inner dashes; got '{name}'", field);

    public static string Key(string site, string name) => $"{site}/{name}";

    /// <summary>Splits <c>site/name</c> (or <c>site/namespace/name</c> for pods) at its first slash.</summary>
    public static (string Site, string Name) Split(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash <= 0 ? (key, string.Empty) : (key[..slash], key[(slash + 1)..]);
    }

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
