namespace Edge.Actors.Abstractions;

/// <summary>An amount of host capacity: CPU in thousandths of a vCPU (so VMs and pods share one unit), memory and disk.</summary>
[GenerateSerializer, Immutable, Alias("edge.resources")]
public sealed record Resources(
    [property: Id(0)] long MilliCpu,
    [property: Id(1)] long MemoryMiB,
    [property: Id(2)] long DiskGiB)
{
    public static readonly Resources None = new(0, 0, 0);

    public static Resources FromVCpus(int vCpus, long memoryMiB, long diskGiB) => new(vCpus * 1000L, memoryMiB, diskGiB);

    public Resources Add(Resources other) => new(MilliCpu + other.MilliCpu, MemoryMiB + other.MemoryMiB, DiskGiB + other.DiskGiB);

    public Resources Subtract(Resources other) => new(MilliCpu - other.MilliCpu, MemoryMiB - other.MemoryMiB, DiskGiB - other.DiskGiB);

    /// <summary>True when <paramref name="request"/> fits within this amount in every dimension.</summary>
    public bool Covers(Resources request) => request.MilliCpu <= MilliCpu && request.MemoryMiB <= MemoryMiB && request.DiskGiB <= DiskGiB;

    /// <summary>True when any dimension is negative or everything is zero.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsEmptyOrNegative => MilliCpu < 0 || MemoryMiB < 0 || DiskGiB < 0 || (MilliCpu == 0 && MemoryMiB == 0 && DiskGiB == 0);
}

/// <summary>The size of a VM.</summary>
[GenerateSerializer, Immutable, Alias("edge.flavor")]
public sealed record Flavor(
    [property: Id(0)] string Name,
    [property: Id(1)] int VCpus,
    [property: Id(2)] int MemoryMiB,
    [property: Id(3)] int DiskGiB)
{
    public Resources ToResources() => Resources.FromVCpus(VCpus, MemoryMiB, DiskGiB);
}

/// <summary>A VM's server group: its name and the policy all its members share.</summary>
[GenerateSerializer, Immutable, Alias("edge.server-group")]
public sealed record ServerGroup([property: Id(0)] string Name, [property: Id(1)] ServerGroupPolicy Policy);

/// <summary>A workload assigned from one host to another.</summary>
[GenerateSerializer, Immutable, Alias("edge.workload-move")]
public sealed record WorkloadMove([property: Id(0)] string Workload, [property: Id(1)] WorkloadKind Kind, [property: Id(2)] string ToHost);
