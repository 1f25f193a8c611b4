namespace Edge.Actors.Agent;

/// <summary>The process exit codes; the same numbers edgectl uses for the same outcomes.</summary>
internal static class AgentExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;
    public const int Denied = 7;
}
