using System.CommandLine;
using System.CommandLine.Invocation;
using Edge.Actors.Agent.Proc;
using Edge.Actors.Agent.Simulation;
using Edge.Actors.Gateway.Protos;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace Edge.Actors.Agent;

/// <summary>The root command: a real host's agent, or the fleet simulator; usage errors as exit code 2, a refused token as 7.</summary>
internal static class EdgeAgent
{
    public const string Name = "edge-agent";

    /// <summary>The period when the gateway has no pulse settings to give (an older gateway).</summary>
    public static readonly TimeSpan FallbackPeriod = TimeSpan.FromSeconds(1);

    public static readonly string Description = string.Join('\n',
        "edge-agent: the host agent of an Edge.Actors site. It registers this Linux host (GetHost, else AddHost with its",
        "real CPUs, memory and disk, then UnlockHost) and keeps one pulse stream open to the gateway, a pulse every period.",
        "With --simulate N it runs N simulated worker hosts instead, driven by fault-drill commands on stdin:",
        $"  {DrillCommand.Usage}",
        "Stdout carries only these lines (logs go to stderr); MS is a unix-ms wall-clock time of a pulse actually written:",
        "  ready N hosts                                     once every host is registered and has pulsed",
        "  stopped HOST last-pulse=MS                        its stream abandoned (not completed), as a dead host's",
        "  started HOST first-pulse=MS                       a fresh stream, first pulse written at once (0: failed, retried)",
        "  stopped-all hosts=N last-pulse-min=MS last-pulse-max=MS",
        "  started-all hosts=N first-pulse-min=MS first-pulse-max=MS",
        "  status hosts=N running=R stopped=S connected=C pulses=P skipped=K",
        "  error MESSAGE                                     an unknown command or host",
        "",
        $"Token: --token, else --token-file, else ${AgentOptions.TokenVariable}.",
        "",
        "Exit codes:",
        $"  {AgentExitCodes.Ok}  stopped (Ctrl+C or SIGTERM)",
        $"  {AgentExitCodes.Failed}  the gateway refused for good (such as an unknown site), or this host's figures cannot be read",
        $"  {AgentExitCodes.Usage}  usage error (bad options, unreadable token file)",
        $"  {AgentExitCodes.Denied}  UNAUTHENTICATED or PERMISSION_DENIED: the token was refused");

    /// <summary>Where the command reads drill commands and writes acknowledgements and errors.</summary>
    internal sealed record Console(TextReader Input, TextWriter Output, TextWriter Error);

    public static Task<int> RunAsync(string[] args) =>
        RunAsync(args, new Console(System.Console.In, System.Console.Out, System.Console.Error), handleTermination: true, CancellationToken.None);

    /// <summary>Runs the command line; <paramref name="handleTermination"/> turns Ctrl+C and SIGTERM into a clean stop.</summary>
    public static async Task<int> RunAsync(string[] args, Console console, bool handleTermination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(console);
        var options = new AgentOptions();
        var root = new RootCommand(Description);
        options.AddTo(root);
        root.SetAction((parse, token) => RunAsync(options, parse, console, token));
        var parse = root.Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            // One line, no help dump: a service's log shows what was wrong.
            var errors = string.Join("; ", parse.Errors.Select(e => OneLine(e.Message).TrimEnd('.')).Distinct(StringComparer.Ordinal));
            await console.Error.WriteLineAsync($"{Name}: {errors} (see '{Name} --help')");
            return AgentExitCodes.Usage;
        }

        return await parse.InvokeAsync(
            new InvocationConfiguration
            {
                Output = console.Output,
                Error = console.Error,
                // Time to complete the pulse streams after Ctrl+C or SIGTERM before the process is ended anyway.
                ProcessTerminationTimeout = handleTermination ? TimeSpan.FromSeconds(5) : null,
            },
            cancellationToken);
    }

    private static async Task<int> RunAsync(AgentOptions options, ParseResult parse, Console console, CancellationToken cancellationToken)
    {
        Uri address;
        string? token;
        try
        {
            (address, token) = AgentOptions.Resolve(parse.GetValue(options.Gateway), parse.GetValue(options.Token), parse.GetValue(options.TokenFile), Environment.GetEnvironmentVariable);
        }
        catch (UsageException ex)
        {
            await console.Error.WriteLineAsync($"{Name}: {ex.Message}");
            return AgentExitCodes.Usage;
        }

        using var logging = CreateLogging();
        var logger = logging.CreateLogger(Name);
        using var gateway = new GatewayConnection(address, token);
        var site = parse.GetValue(options.Site)!;
        try
        {
            var period = await PeriodAsync(gateway, site, parse.GetValue(options.Period), logger, cancellationToken);
            if (parse.GetValue(options.Simulate) is not null)
            {
                var draft = options.SimulatorOf(parse);
                await SimulateAsync(gateway, new SimulatorSettings(site, draft.Count, draft.Prefix, draft.Capacity, period), logger, console, cancellationToken);
            }
            else
            {
                var name = parse.GetValue(options.Name) ?? HostNames.Derive(Environment.MachineName);
                var probe = new HostProbe(diskPath: parse.GetValue(options.DiskPath)!);
                var mqtt = parse.GetValue(options.Transport) == "mqtt"
                    ? MqttPulseSender.Endpoint(parse.GetValue(options.MqttBroker)!, name, parse.GetValue(options.MqttPassword) ?? Environment.GetEnvironmentVariable(AgentOptions.MqttPasswordVariable))
                    : null;
                await RunHostAsync(
                    gateway, site, name, AgentOptions.ParsePersonality(parse.GetValue(options.Personality)), !parse.GetValue(options.StayLocked), probe, period, mqtt, logger, cancellationToken);
            }

            return AgentExitCodes.Ok;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return AgentExitCodes.Ok;
        }
        catch (RpcException ex) when (GatewayFailures.IsDenied(ex))
        {
            await console.Error.WriteLineAsync($"{Name}: {Denial(ex, gateway.Address, site)}");
            return AgentExitCodes.Denied;
        }
        catch (RpcException ex)
        {
            await console.Error.WriteLineAsync($"{Name}: {GatewayFailures.Describe(ex)}");
            return AgentExitCodes.Failed;
        }
        catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException)
        {
            // /proc or the disk path could not be read: not a Linux host, or a wrong --disk-path.
            await console.Error.WriteLineAsync($"{Name}: cannot read this host's figures: {ex.Message}");
            return AgentExitCodes.Failed;
        }
    }

    private static async Task RunHostAsync(
        GatewayConnection gateway, string site, string name, HostPersonality personality, bool unlock, HostProbe probe, TimeSpan period, MqttPulseSender.Broker? mqtt, ILogger logger, CancellationToken cancellationToken)
    {
        var capacity = probe.Capacity();
        var outcome = await HostRegistration.RetryTransientAsync(
            token => HostRegistration.EnsureAsync(gateway, site, name, personality, capacity, unlock, token), gateway, logger, TimeProvider.System, cancellationToken);
        logger.Registered(site, name, HostRegistration.Describe(outcome));
        if (mqtt is not null)
        {
            await new MqttPulseSender(mqtt, site, name, period, probe.Sample, logger).RunAsync(cancellationToken);
        }
        else
        {
            await new PulseStreamer(gateway, site, name, period, probe.Sample, logger, TimeProvider.System).RunAsync(cancellationToken);
        }
    }

    private static async Task SimulateAsync(GatewayConnection gateway, SimulatorSettings settings, ILogger logger, Console console, CancellationToken cancellationToken)
    {
        var simulator = new FleetSimulator(gateway, settings, logger, TimeProvider.System);
        var output = new Lock();
        void WriteLine(string line)
        {
            lock (output)
            {
                console.Output.WriteLine(line);
                console.Output.Flush();
            }
        }

        // Drill commands run one at a time, in the order given; the reader is left behind at shutdown (a console read
        // cannot be cancelled) and ends with the process. At the end of stdin the fleet keeps pulsing.
        _ = Task.Run(
            async () =>
            {
                while (await console.Input.ReadLineAsync(cancellationToken) is { } line)
                {
                    if (!string.IsNullOrWhiteSpace(line))
                    {
                        WriteLine(await simulator.ExecuteAsync(line, cancellationToken));
                    }
                }
            },
            cancellationToken);
        await simulator.RunAsync(WriteLine, cancellationToken);
    }

    private static async Task<TimeSpan> PeriodAsync(GatewayConnection gateway, string site, int? periodMs, ILogger logger, CancellationToken cancellationToken)
    {
        if (periodMs is { } given)
        {
            logger.Period(given, "--period");
            return TimeSpan.FromMilliseconds(given);
        }

        try
        {
            var settings = await HostRegistration.RetryTransientAsync(
                async token => await gateway.Agents.GetPulseSettingsAsync(new GetPulseSettingsRequest { SiteId = site }, gateway.Unary(token)),
                gateway, logger, TimeProvider.System, cancellationToken);
            if (settings.PeriodMs > 0)
            {
                logger.Period(settings.PeriodMs, $"the pulse settings of site {site}");
                return TimeSpan.FromMilliseconds(settings.PeriodMs);
            }
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Unimplemented)
        {
            // An older gateway: fall through.
        }

        logger.NoPulseSettings(gateway.Address, (int)FallbackPeriod.TotalMilliseconds);
        return FallbackPeriod;
    }

    private static string Denial(RpcException failure, string gateway, string site) => failure.StatusCode == StatusCode.PermissionDenied
        ? $"PERMISSION_DENIED: the token may not register or pulse hosts of site {site} at {gateway} (it needs the operator role there; use --token, --token-file or ${AgentOptions.TokenVariable})"
        : $"UNAUTHENTICATED: the gateway at {gateway} refused the token: missing, expired or not issued by it (use --token, --token-file or ${AgentOptions.TokenVariable})";

    private static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static ILoggerFactory CreateLogging() => LoggerFactory.Create(logging => logging
        .SetMinimumLevel(LogLevel.Information)
        .AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.UseUtcTimestamp = true;
            console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
        })
        // stdout belongs to the simulator's acknowledgements; every log line goes to stderr.
        .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace));
}
