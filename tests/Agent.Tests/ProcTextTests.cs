using Edge.Actors.Agent.Proc;

namespace Edge.Actors.Agent.Tests;

public class ProcTextTests
{
    private const string Stat = """
        cpu  1000 50 500 8000 400 10 40 0 30 0
        cpu0 500 25 250 4000 200 5 20 0 15 0
        cpu1 500 25 250 4000 200 5 20 0 15 0
        intr 123456 0 0
        ctxt 987654
        btime 1700000000
        processes 4242
        procs_running 2
        """;

    private const string LaterStat = """
        cpu  1600 50 700 8600 400 10 40 0 30 0
        cpu0 800 25 350 4300 200 5 20 0 15 0
        cpu1 800 25 350 4300 200 5 20 0 15 0
        """;

    [Fact]
    public void ParseStat_CountsCpuLinesAndLeavesGuestOutOfTheTotal()
    {
        var stat = ProcText.ParseStat(Stat);

        Assert.Equal(2, stat.Cpus);
        // user+nice+system+idle+iowait+irq+softirq+steal; guest is already inside user.
        Assert.Equal(10_000UL, stat.Times.Total);
        Assert.Equal(1_600UL, stat.Times.Busy);
    }

    [Fact]
    public void BusyPercent_IsTheBusyShareOfTheTimeBetweenTwoSamples()
    {
        var earlier = ProcText.ParseStat(Stat).Times;
        var later = ProcText.ParseStat(LaterStat).Times;

        // 1400 ticks passed, 800 of them busy (user +600, system +200).
        Assert.Equal(100.0 * 800 / 1400, ProcText.BusyPercent(earlier, later), 6);
    }

    [Fact]
    public void BusyPercent_FromZero_IsTheAverageSinceBoot()
    {
        Assert.Equal(16.0, ProcText.BusyPercent(default, ProcText.ParseStat(Stat).Times), 6);
    }

    [Fact]
    public void BusyPercent_NoTimePassed_IsZero()
    {
        var times = ProcText.ParseStat(Stat).Times;

        Assert.Equal(0, ProcText.BusyPercent(times, times));
    }

    [Fact]
    public void ParseStat_OldKernelWithFourFields_Parses()
    {
        var stat = ProcText.ParseStat("cpu 10 0 10 80\ncpu0 10 0 10 80\n");

        Assert.Equal(1, stat.Cpus);
        Assert.Equal(new CpuTimes(20, 100), stat.Times);
    }

    [Theory]
    [InlineData("intr 1 2 3\n")]
    [InlineData("cpu  1 2 3 x 5\ncpu0 1 2 3 4 5\n")]
    [InlineData("cpu  1 2 3\ncpu0 1 2 3\n")]
    public void ParseStat_NotStatText_ThrowsNamingTheFile(string text)
    {
        var failure = Assert.Throws<FormatException>(() => ProcText.ParseStat(text));

        Assert.StartsWith("/proc/stat", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseMemInfo_ReadsTotalAndAvailableInMib()
    {
        var memory = ProcText.ParseMemInfo("""
            MemTotal:       24684092 kB
            MemFree:        23778284 kB
            MemAvailable:   23956092 kB
            Buffers:           12345 kB
            Cached:           456789 kB
            HugePages_Total:       0
            """);

        Assert.Equal(new MemoryInfo(24684092 / 1024, 23956092 / 1024), memory);
    }

    [Fact]
    public void ParseMemInfo_NoMemAvailable_EstimatesFromFreeBuffersAndCached()
    {
        var memory = ProcText.ParseMemInfo("MemTotal: 4194304 kB\nMemFree: 1048576 kB\nBuffers: 524288 kB\nCached: 524288 kB\n");

        Assert.Equal(new MemoryInfo(4096, 2048), memory);
    }

    [Fact]
    public void ParseMemInfo_NoMemTotal_ThrowsNamingTheFile()
    {
        var failure = Assert.Throws<FormatException>(() => ProcText.ParseMemInfo("MemFree: 1 kB\n"));

        Assert.Contains("MemTotal", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HostProbe_OnThisMachine_ReportsItsCpusMemoryAndDisk()
    {
        var probe = new HostProbe();

        var capacity = probe.Capacity();
        var figures = probe.Sample();

        Assert.Equal(Environment.ProcessorCount, capacity.Cpus);
        Assert.Equal(MemInfo.TotalMib(), capacity.MemoryMib);
        Assert.True(capacity.DiskGib >= 1);
        Assert.InRange(figures.CpuBusyPercent, 0, 100);
        Assert.InRange(figures.MemoryAvailableMib, 1, figures.MemoryTotalMib);
        Assert.InRange(figures.DiskFreeGib, 0, figures.DiskTotalGib);
    }
}
