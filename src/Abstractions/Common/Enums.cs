namespace Edge.Actors.Abstractions;

/// <summary>What a host is for.</summary>
public enum HostPersonality
{
    Controller,
    Worker,
    Storage,
}

/// <summary>Whether an operator has taken the host out of service.</summary>
public enum AdministrativeState
{
    Locked,
    Unlocked,
}

/// <summary>Whether the host's services are running.</summary>
public enum OperationalState
{
    Disabled,
    Enabled,
}

/// <summary>What maintenance knows of the host's health.</summary>
public enum HostAvailability
{
    Offline,
    Online,
    InTest,
    Available,
    Degraded,
    Failed,
    PowerOff,
}

/// <summary>Life cycle of a VM.</summary>
public enum InstanceStatus
{
    Building,
    Active,
    Migrating,
    Rebuilding,
    Stopped,
    Error,
    Deleted,
}

/// <summary>Life cycle of a pod.</summary>
public enum PodPhase
{
    Pending,
    Running,
    Failed,
    Succeeded,
}

/// <summary>Health of a storage pool from how many replicas are reachable.</summary>
public enum PoolHealth
{
    Ok,
    Warn,
    Err,
}

/// <summary>Whether the central region manages the site.</summary>
public enum SiteManagement
{
    Unmanaged,
    Managed,
}

/// <summary>Whether the site answers the central region.</summary>
public enum SiteAvailability
{
    Online,
    Offline,
}

/// <summary>Placement policy shared by the VMs of a server group.</summary>
public enum ServerGroupPolicy
{
    None,
    Affinity,
    AntiAffinity,
}

/// <summary>What occupies an allocation in a site's ledger.</summary>
public enum WorkloadKind
{
    Instance,
    Pod,
}
