using System.Diagnostics;
using System.Globalization;

namespace Edge.Actors.InventoryBench;

/// <summary>CPU used over a window: by this process, by the benchmark's PostgreSQL server, and by the whole machine.</summary>
internal sealed record CpuUsage(double Seconds, double ProcessCores, double PostgresCores, double MachineBusyCores, int Cores, GcUsage Gc)
{
    public static readonly CpuUsage Unknown = new(0, double.NaN, double.NaN, double.NaN, Environment.ProcessorCount, new GcUsage(0, 0, 0, 0, TimeSpan.Zero));

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"cpu of {Cores} cores: bench process {ProcessCores:0.00}, postgres {PostgresCores:0.00}, whole machine busy {MachineBusyCores:0.00}");

    /// <summary>CPU and allocation per operation of this process, given how many operations completed in the window.</summary>
    public string DescribePerOperation(long operations) => operations == 0 ? string.Empty : string.Create(CultureInfo.InvariantCulture,
        $"per operation: {ProcessCores * Seconds / operations * 1e6:0} us bench CPU, {PostgresCores * Seconds / operations * 1e6:0} us postgres CPU, {Gc.AllocatedBytes / (double)operations / 1024:0.0} KiB allocated; GCs gen0/1/2 {Gc.Gen0}/{Gc.Gen1}/{Gc.Gen2}, paused {Gc.Paused.TotalMilliseconds / (Seconds * 1000) * 100:0.0}% of the window");
}

/// <summary>What the garbage collector did over a window.</summary>
internal sealed record GcUsage(long AllocatedBytes, int Gen0, int Gen1, int Gen2, TimeSpan Paused);

/// <summary>Reads CPU counters from /proc: this process, the PostgreSQL postmaster and its children, and /proc/stat.</summary>
internal sealed class CpuProbe(int? postmasterPid)
{
    // USER_HZ: the unit of /proc's CPU times; 100 on every Linux this runs on.
    private const double TicksPerSecond = 100.0;

    /// <summary>Finds the postmaster of a server started in <paramref name="dataFolder"/> (first line of postmaster.pid).</summary>
    public static CpuProbe For(string? dataFolder)
    {
        int? pid = null;
        try
        {
            if (dataFolder is not null && File.Exists(Path.Combine(dataFolder, "postmaster.pid"))
                && int.TryParse(File.ReadLines(Path.Combine(dataFolder, "postmaster.pid")).FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
            {
                pid = parsed;
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return new CpuProbe(pid);
    }

    public Sample Sample()
    {
        using var self = Process.GetCurrentProcess();
        var (busy, total) = MachineTicks();
        return new Sample(Stopwatch.GetTimestamp(), self.TotalProcessorTime.TotalSeconds, PostgresTicks() / TicksPerSecond, busy, total,
            GC.GetTotalAllocatedBytes(precise: false), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());
    }

    public static CpuUsage Between(Sample a, Sample b)
    {
        var seconds = Stopwatch.GetElapsedTime(a.Timestamp, b.Timestamp).TotalSeconds;
        if (seconds <= 0)
        {
            return CpuUsage.Unknown;
        }

        var cores = Environment.ProcessorCount;
        var totalTicks = b.MachineTotalTicks - a.MachineTotalTicks;
        var machineBusy = totalTicks > 0 ? (double)(b.MachineBusyTicks - a.MachineBusyTicks) / totalTicks * cores : double.NaN;
        var gc = new GcUsage(b.Allocated - a.Allocated, b.Gen0 - a.Gen0, b.Gen1 - a.Gen1, b.Gen2 - a.Gen2, b.Paused - a.Paused);
        return new CpuUsage(seconds, (b.ProcessSeconds - a.ProcessSeconds) / seconds, (b.PostgresSeconds - a.PostgresSeconds) / seconds, machineBusy, cores, gc);
    }

    private static (long Busy, long Total) MachineTicks()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            // user nice system idle iowait irq softirq steal ...: idle and iowait are not busy.
            var total = fields.Take(8).Sum();
            return (total - fields[3] - fields[4], total);
        }
        catch (IOException)
        {
            return (0, 0);
        }
    }

    /// <summary>utime + stime of the postmaster and its direct children (the backends, WAL writer, checkpointer...).</summary>
    private long PostgresTicks()
    {
        if (postmasterPid is not { } root)
        {
            return 0;
        }

        long ticks = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(dir);
            if (name.Length == 0 || !char.IsAsciiDigit(name[0]))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                // Fields after the command name (which may hold spaces) start at "state"; ppid is the 2nd, utime the 12th, stime the 13th.
                var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var pid = int.Parse(name, CultureInfo.InvariantCulture);
                var ppid = int.Parse(rest[1], CultureInfo.InvariantCulture);
                if (pid == root || ppid == root)
                {
                    ticks += long.Parse(rest[11], CultureInfo.InvariantCulture) + long.Parse(rest[12], CultureInfo.InvariantCulture);
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return ticks;
    }
}

internal readonly record struct Sample(
    long Timestamp, double ProcessSeconds, double PostgresSeconds, long MachineBusyTicks, long MachineTotalTicks,
    long Allocated, int Gen0, int Gen1, int Gen2, TimeSpan Paused);
