using Edge.Actors.Gateway.Protos;

namespace Edge.Actors.Agent.Proc;

/// <summary>A host's size, as AddHost takes it.</summary>
internal readonly record struct HostCapacity(int Cpus, long MemoryMib, long DiskGib);

/// <summary>
/// Reads this Linux host's figures: CPUs and busy time from /proc/stat, memory from /proc/meminfo, disk from the file
/// system holding <c>diskPath</c> (statvfs, through <see cref="DriveInfo"/>). Busy % is over the time since the
/// previous sample; the first sample's is since boot. Not thread-safe: one pulse loop owns it.
/// </summary>
internal sealed class HostProbe(string procFolder = "/proc", string diskPath = "/")
{
    private const long Gib = 1L << 30;
    private CpuTimes _previous;

    public string DiskPath { get; } = diskPath;

    public HostCapacity Capacity()
    {
        var cpu = ProcText.ParseStat(Read("stat"));
        var memory = ProcText.ParseMemInfo(Read("meminfo"));
        var (diskTotal, _) = Disk();
        // AddHost wants positive sizes: a disk under 1 GiB still counts as 1.
        return new HostCapacity(cpu.Cpus, memory.TotalMib, Math.Max(1, diskTotal / Gib));
    }

    public HostFigures Sample()
    {
        var cpu = ProcText.ParseStat(Read("stat"));
        var memory = ProcText.ParseMemInfo(Read("meminfo"));
        var (diskTotal, diskFree) = Disk();
        var busy = ProcText.BusyPercent(_previous, cpu.Times);
        _previous = cpu.Times;
        return new HostFigures
        {
            Cpus = cpu.Cpus,
            CpuBusyPercent = Math.Round(busy, 1),
            MemoryTotalMib = memory.TotalMib,
            MemoryAvailableMib = memory.AvailableMib,
            DiskTotalGib = diskTotal / Gib,
            DiskFreeGib = diskFree / Gib,
        };
    }

    private (long Total, long Free) Disk()
    {
        var drive = new DriveInfo(DiskPath);
        return (drive.TotalSize, drive.AvailableFreeSpace);
    }

    private string Read(string name) => File.ReadAllText(Path.Combine(procFolder, name));
}
