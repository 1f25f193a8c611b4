using System.Globalization;

namespace Edge.Actors.FaultBench;

/// <summary>The command line: how many drills, and the size and length of the heartbeat CPU measurement.</summary>
internal sealed record Options(int Runs, int CpuHosts, double CpuSeconds)
{
    public const string Usage = """
        usage: Edge.Actors.FaultBench [--runs N] [--cpu-hosts N] [--cpu-seconds N]
           --runs: fault drills, each on one simulated host of 20 (default 12)
           --cpu-hosts: simulated hosts pulsing while the silo's CPU is measured (default 2000)
           --cpu-seconds: length of each CPU measurement window, with and without them (default 10)
        """;

    public static bool TryParse(string[] args, out Options options)
    {
        options = new Options(12, 2000, 10);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (i + 1 >= args.Length)
            {
                return false;
            }

            var value = args[i + 1];
            switch (args[i])
            {
                case "--runs" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var runs) && runs > 0:
                    options = options with { Runs = runs };
                    break;
                // edge-agent simulates at most 100000 hosts.
                case "--cpu-hosts" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var hosts) && hosts is > 0 and <= 100_000:
                    options = options with { CpuHosts = hosts };
                    break;
                case "--cpu-seconds" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds) && seconds > 0:
                    options = options with { CpuSeconds = seconds };
                    break;
                default:
                    return false;
            }
        }

        return true;
    }
}
