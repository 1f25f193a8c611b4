using System.Globalization;

namespace Edge.Actors.Agent.Proc;

/// <summary>Cumulative CPU time from <c>/proc/stat</c>, in clock ticks: all of it, and the part spent not idle.</summary>
internal readonly record struct CpuTimes(ulong Busy, ulong Total);

/// <summary>What <c>/proc/stat</c> says: how many CPUs the kernel lists, and their time so far.</summary>
internal readonly record struct CpuStat(int Cpus, CpuTimes Times);

/// <summary>What <c>/proc/meminfo</c> says, in MiB.</summary>
internal readonly record struct MemoryInfo(long TotalMib, long AvailableMib);

/// <summary>Pure parsers of the kernel's /proc text; they throw <see cref="FormatException"/> naming the file when it is not as expected.</summary>
internal static class ProcText
{
    /// <summary>
    /// The aggregate <c>cpu</c> line and the number of <c>cpuN</c> lines. Busy time is everything but idle and iowait;
    /// guest and guest_nice are left out of the total because the kernel already counts them in user and nice.
    /// </summary>
    public static CpuStat ParseStat(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        CpuTimes? aggregate = null;
        var cpus = 0;
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            if (!line.StartsWith("cpu", StringComparison.Ordinal) || line.Length < 4)
            {
                continue;
            }

            if (line[3] == ' ')
            {
                aggregate = ParseCpuLine(line[3..]);
            }
            else if (char.IsAsciiDigit(line[3]))
            {
                cpus++;
            }
        }

        return aggregate is { } times && cpus > 0
            ? new CpuStat(cpus, times)
            : throw new FormatException("/proc/stat: no 'cpu' and 'cpuN' lines");
    }

    /// <summary>The busy share of the CPU time between two samples, 0-100; 0 when no time passed.</summary>
    public static double BusyPercent(CpuTimes earlier, CpuTimes later)
    {
        if (later.Total <= earlier.Total)
        {
            return 0;
        }

        var busy = later.Busy >= earlier.Busy ? later.Busy - earlier.Busy : 0;
        return Math.Clamp(100.0 * busy / (later.Total - earlier.Total), 0, 100);
    }

    /// <summary>
    /// MemTotal and MemAvailable. Kernels before 3.14 have no MemAvailable; there MemFree + Buffers + Cached stands in,
    /// the estimate free(1) used then.
    /// </summary>
    public static MemoryInfo ParseMemInfo(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        long? total = null, available = null;
        long free = 0, buffers = 0, cached = 0;
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            var colon = line.IndexOf(':');
            if (colon <= 0)
            {
                continue;
            }

            var key = line[..colon];
            var rest = line[(colon + 1)..];
            switch (key)
            {
                case "MemTotal": total = ParseKib(rest, key); break;
                case "MemAvailable": available = ParseKib(rest, key); break;
                case "MemFree": free = ParseKib(rest, key); break;
                case "Buffers": buffers = ParseKib(rest, key); break;
                case "Cached": cached = ParseKib(rest, key); break;
                default: break;
            }
        }

        if (total is not { } totalKib)
        {
            throw new FormatException("/proc/meminfo: no MemTotal line");
        }

        return new MemoryInfo(totalKib / 1024, (available ?? free + buffers + cached) / 1024);
    }

    private static CpuTimes ParseCpuLine(ReadOnlySpan<char> fields)
    {
        // user nice system idle iowait irq softirq steal [guest guest_nice]; old kernels have only the first four.
        Span<ulong> values = stackalloc ulong[8];
        var count = 0;
        foreach (var range in fields.Split(' '))
        {
            var field = fields[range];
            if (field.IsEmpty)
            {
                continue;
            }

            if (count == values.Length)
            {
                break;
            }

            values[count++] = ulong.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw new FormatException($"/proc/stat: '{field}' in the cpu line is not a number");
        }

        if (count < 4)
        {
            throw new FormatException("/proc/stat: the cpu line has fewer than 4 fields");
        }

        ulong total = 0;
        foreach (var value in values[..count])
        {
            total += value;
        }

        var idle = values[3] + values[4];
        return new CpuTimes(total - idle, total);
    }

    private static long ParseKib(ReadOnlySpan<char> rest, ReadOnlySpan<char> key)
    {
        rest = rest.Trim();
        if (rest.EndsWith(" kB", StringComparison.Ordinal))
        {
            rest = rest[..^3].TrimEnd();
        }

        return long.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"/proc/meminfo: {key.ToString()} is not a number of kB");
    }
}
