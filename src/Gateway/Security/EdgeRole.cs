namespace Edge.Actors.Gateway.Security;

/// <summary>What a token lets its holder do; each role includes the ones below it.</summary>
public enum EdgeRole
{
    /// <summary>Reads: Get, List, Watch.</summary>
    Reader = 1,

    /// <summary>Acts on hosts, VMs and pods.</summary>
    Operator = 2,

    /// <summary>Everything: sites, storage, tokens.</summary>
    Admin = 3,
}
