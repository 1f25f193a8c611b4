using System.Globalization;
using System.Text.RegularExpressions;

namespace Edge.Actors.Agent.Tests;

/// <summary>This machine's MemTotal, read here independently of the agent's parser.</summary>
internal static partial class MemInfo
{
    public static long TotalMib() =>
        long.Parse(TotalLine().Match(File.ReadAllText("/proc/meminfo")).Groups[1].Value, CultureInfo.InvariantCulture) / 1024;

    [GeneratedRegex(@"^MemTotal:\s+(\d+) kB", RegexOptions.Multiline)]
    private static partial Regex TotalLine();
}
