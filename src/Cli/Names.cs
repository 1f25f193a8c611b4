using System.Text;

namespace Edge.Actors.Cli;

/// <summary>
/// The API's enum values as a user types and reads them: <c>INSTANCE_STATE_ACTIVE</c> is <c>active</c>,
/// <c>SERVER_GROUP_POLICY_ANTI_AFFINITY</c> is <c>anti-affinity</c>.
/// </summary>
internal static class Names
{
    public static string Of<T>(T value)
        where T : struct, Enum => Words(value.ToString(), '-').ToLowerInvariant();

    /// <summary>Every value but the proto's zero (<c>UNSPECIFIED</c>), as typed on the command line.</summary>
    public static string[] All<T>()
        where T : struct, Enum => [.. Enum.GetValues<T>().Where(v => Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture) != 0).Select(Of)];

    public static T Parse<T>(string? text)
        where T : struct, Enum =>
        string.IsNullOrEmpty(text) ? default : Enum.GetValues<T>().FirstOrDefault(v => string.Equals(Of(v), text, StringComparison.OrdinalIgnoreCase));

    /// <summary>Splits PascalCase into words joined by <paramref name="separator"/>: <c>AntiAffinity</c> is <c>Anti-Affinity</c>.</summary>
    public static string Words(string pascal, char separator)
    {
        ArgumentNullException.ThrowIfNull(pascal);
        var text = new StringBuilder(pascal.Length + 8);
        for (var i = 0; i < pascal.Length; i++)
        {
            if (i > 0 && char.IsUpper(pascal[i]) && !char.IsUpper(pascal[i - 1]))
            {
                text.Append(separator);
            }

            text.Append(pascal[i]);
        }

        return text.ToString();
    }
}
