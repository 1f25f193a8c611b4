using Microsoft.Extensions.Logging;

namespace Edge.Actors.Agent;

/// <summary>Every log line the agent and the simulator write: transitions, never one per pulse.</summary>
internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Host {Host} of site {Site}: {Outcome}")]
    public static partial void Registered(this ILogger logger, string site, string host, string outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pulsing every {PeriodMs} ms ({Source})")]
    public static partial void Period(this ILogger logger, int periodMs, string source);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The gateway at {Gateway} has no pulse settings (UNIMPLEMENTED); pulsing every {PeriodMs} ms")]
    public static partial void NoPulseSettings(this ILogger logger, string gateway, int periodMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gateway {Gateway} not reachable ({Reason}); retrying")]
    public static partial void GatewayUnreachable(this ILogger logger, string gateway, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pulse stream of {Host} up")]
    public static partial void StreamUp(this ILogger logger, string host);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pulse stream of {Host} down ({Reason}); reconnecting")]
    public static partial void StreamDown(this ILogger logger, string host, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pulse stream of {Host} completed; the gateway counted {Received} pulses on it")]
    public static partial void StreamCompleted(this ILogger logger, string host, ulong received);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Pulse stream of {Host} did not complete cleanly ({Reason})")]
    public static partial void StreamCompletionFailed(this ILogger logger, string host, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulating {Count} hosts {First}..{Last} at site {Site}")]
    public static partial void Simulating(this ILogger logger, int count, string first, string last, string site);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} simulated hosts skipped this period's pulse: their previous write had not finished (the gateway or this machine is overloaded)")]
    public static partial void PulsesSkipped(this ILogger logger, int count);
}
