namespace Edge.Actors.Agent.Simulation;

internal enum DrillVerb
{
    Stop,
    Start,
    StopAll,
    StartAll,
    Status,
}

/// <summary>One fault-drill command read from the simulator's stdin: <c>stop HOST</c>, <c>start HOST</c>, <c>stop-all</c>, <c>start-all</c>, <c>status</c>.</summary>
internal sealed record DrillCommand(DrillVerb Verb, string? Host)
{
    public const string Usage = "stop <host> | start <host> | stop-all | start-all | status";

    /// <summary>The command on <paramref name="line"/>, or null with <paramref name="error"/> saying what is wrong.</summary>
    public static DrillCommand? Parse(string line, out string? error)
    {
        ArgumentNullException.ThrowIfNull(line);
        var words = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        error = null;
        DrillCommand? command = words switch
        {
            ["stop", var host] => new(DrillVerb.Stop, host),
            ["start", var host] => new(DrillVerb.Start, host),
            ["stop-all"] => new(DrillVerb.StopAll, null),
            ["start-all"] => new(DrillVerb.StartAll, null),
            ["status"] => new(DrillVerb.Status, null),
            _ => null,
        };
        if (command is null)
        {
            error = $"unknown command '{line.Trim()}' (expected {Usage})";
        }

        return command;
    }
}
