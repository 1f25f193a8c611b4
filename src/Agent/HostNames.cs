using System.Globalization;
using System.Text;

namespace Edge.Actors.Agent;

/// <summary>
/// Host names as the product takes them (ResourceNames: 1-63 lower-case letters, digits or inner dashes, a DNS
/// label): derived from a machine's name, or numbered for simulated hosts.
/// </summary>
internal static class HostNames
{
    public const int MaxLength = 63;

    /// <summary>The first label of <paramref name="machineName"/>, lower-cased, anything else turned into single dashes; "host" when nothing is left.</summary>
    public static string Derive(string machineName)
    {
        ArgumentNullException.ThrowIfNull(machineName);
        var label = machineName.Trim();
        var dot = label.IndexOf('.', StringComparison.Ordinal);
        if (dot >= 0)
        {
            label = label[..dot];
        }

        var name = new StringBuilder(label.Length);
        foreach (var c in label.ToLowerInvariant())
        {
            var kept = char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) ? c : '-';
            if (kept != '-' || (name.Length > 0 && name[^1] != '-'))
            {
                name.Append(kept);
            }
        }

        var derived = name.ToString(0, Math.Min(name.Length, MaxLength)).Trim('-');
        return derived.Length > 0 ? derived : "host";
    }

    public static bool IsValid(string? name) =>
        name is { Length: > 0 and <= MaxLength }
        && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
        && name[0] != '-' && name[^1] != '-';

    /// <summary><c>prefix-0001</c>: numbered from 1, at least four digits, as many as the largest number needs.</summary>
    public static string Simulated(string prefix, int number, int count)
    {
        var digits = Math.Max(4, count.ToString(CultureInfo.InvariantCulture).Length);
        return $"{prefix}-{number.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0')}";
    }
}
