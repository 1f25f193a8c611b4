using System.CommandLine;
using Edge.Actors.Agent.Proc;
using Edge.Actors.Gateway.Protos;

namespace Edge.Actors.Agent;

/// <summary>The command line: where the gateway is and the token, which host (or how many simulated ones), and the period.</summary>
internal sealed class AgentOptions
{
    public const string EndpointVariable = "EDGE_ENDPOINT";
    public const string TokenVariable = "EDGE_TOKEN";
    // The silo co-hosts the gateway on 127.0.0.1:5080 by default (--grpc-port, Edge:Gateway:Port).
    public const string DefaultGateway = "http://127.0.0.1:5080";

    public Option<string> Gateway { get; } = new("--gateway")
    {
        Description = $"Gateway address, http://host:port (cleartext HTTP/2) or https://; default ${EndpointVariable}, then {DefaultGateway}",
    };

    public Option<string> Token { get; } = new("--token") { Description = $"Bearer token; default ${TokenVariable}" };

    public Option<string> TokenFile { get; } = new("--token-file") { Description = "Read the bearer token from this file (such as the silo's data/admin.token)" };

    public Option<string> Site { get; } = new("--site") { Description = "The site the host belongs to", Required = true };

    public Option<string> Name { get; } = new("--name") { Description = "The host's name; default this machine's host name, made valid (lower case, a DNS label)" };

    public Option<string> Personality { get; } = new Option<string>("--personality")
    {
        Description = "What the host is for, when the agent adds it",
        DefaultValueFactory = _ => "worker",
    }.AcceptOnlyFromAmong("worker", "controller", "storage");

    public Option<bool> StayLocked { get; } = new("--stay-locked")
    {
        Description = "Leave a host the agent adds locked; by default it is unlocked after it is added (a host that exists already is never unlocked or locked)",
    };

    public Option<int?> Period { get; } = new("--period") { Description = "Milliseconds between pulses; default the site's pulse settings" };

    public Option<string> DiskPath { get; } = new("--disk-path")
    {
        Description = "A path on the file system whose size and free space are the host's disk",
        DefaultValueFactory = _ => "/",
    };

    public Option<string> Transport { get; } = new Option<string>("--transport")
    {
        Description = "How pulses travel: grpc (one stream to the gateway) or mqtt (QoS 0 messages to the site's broker); registration always uses the gateway",
        DefaultValueFactory = _ => "grpc",
    }.AcceptOnlyFromAmong("grpc", "mqtt");

    public Option<string> MqttBroker { get; } = new("--mqtt-broker") { Description = "host:port of the MQTT broker for --transport mqtt", DefaultValueFactory = _ => "127.0.0.1:1883" };

    public Option<string> MqttPassword { get; } = new("--mqtt-password") { Description = $"The agent's MQTT password (its user name is the host name); default ${MqttPasswordVariable}" };

    public const string MqttPasswordVariable = "EDGE_MQTT_PASSWORD";

    public Option<int?> Simulate { get; } = new("--simulate") { Description = "Simulate this many worker hosts instead of being the agent of this one; drill commands on stdin" };

    public Option<string> Prefix { get; } = new("--prefix") { Description = "Simulated hosts are named <prefix>-0001, <prefix>-0002, ...", DefaultValueFactory = _ => "sim" };

    public Option<int> CapacityVcpus { get; } = new("--capacity-vcpus") { Description = "vCPUs of each simulated host", DefaultValueFactory = _ => 32 };

    public Option<long> CapacityMemoryMib { get; } = new("--capacity-memory-mib") { Description = "Memory of each simulated host, MiB", DefaultValueFactory = _ => 131_072 };

    public Option<long> CapacityDiskGib { get; } = new("--capacity-disk-gib") { Description = "Disk of each simulated host, GiB", DefaultValueFactory = _ => 1000 };

    public void AddTo(RootCommand root)
    {
        ArgumentNullException.ThrowIfNull(root);
        Site.Validators.Add(r => CheckName(r.GetValueOrDefault<string>(), "--site", r.AddError));
        Name.Validators.Add(r => CheckName(r.GetValueOrDefault<string>(), "--name", r.AddError));
        Period.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is < 10 or > 3_600_000)
            {
                r.AddError("--period must be 10-3600000 ms");
            }
        });
        Simulate.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is < 1 or > 100_000)
            {
                r.AddError("--simulate must be 1-100000 hosts");
            }
        });
        Positive(CapacityVcpus, 4096);
        Positive(CapacityMemoryMib, 1L << 32);
        Positive(CapacityDiskGib, 1L << 24);
        root.Validators.Add(r =>
        {
            var simulating = r.GetResult(Simulate) is not null;
            var wrong = simulating
                ? new Option[] { Name, Personality, StayLocked, DiskPath }
                : [Prefix, CapacityVcpus, CapacityMemoryMib, CapacityDiskGib];
            foreach (var option in wrong.Where(o => r.GetResult(o) is { Implicit: false }))
            {
                r.AddError(simulating ? $"{option.Name} is for a real host's agent, not with --simulate" : $"{option.Name} needs --simulate");
            }

            if (simulating && r.GetValue(Prefix) is { } prefix && r.GetValue(Simulate) is { } count
                && !HostNames.IsValid(HostNames.Simulated(prefix, count, count)))
            {
                r.AddError($"--prefix '{prefix}' does not make valid host names (lower-case letters, digits, inner dashes, at most {HostNames.MaxLength} characters)");
            }
        });
        foreach (var option in new Option[] { Gateway, Token, TokenFile, Site, Name, Personality, StayLocked, Period, DiskPath, Transport, MqttBroker, MqttPassword, Simulate, Prefix, CapacityVcpus, CapacityMemoryMib, CapacityDiskGib })
        {
            root.Add(option);
        }
    }

    public static HostPersonality ParsePersonality(string? value) => value switch
    {
        "controller" => HostPersonality.Controller,
        "storage" => HostPersonality.Storage,
        _ => HostPersonality.Worker,
    };

    public SimulatorSettingsDraft SimulatorOf(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return new(parse.GetValue(Simulate) ?? 0, parse.GetValue(Prefix)!, new HostCapacity(parse.GetValue(CapacityVcpus), parse.GetValue(CapacityMemoryMib), parse.GetValue(CapacityDiskGib)));
    }

    /// <summary>
    /// The gateway address and the token: flags win, then the environment, then the default address. A token may be
    /// absent: the gateway then answers UNAUTHENTICATED. Throws <see cref="UsageException"/> for a bad address or an unreadable token file.
    /// </summary>
    public static (Uri Gateway, string? Token) Resolve(string? gateway, string? token, string? tokenFile, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var address = NonEmpty(gateway) ?? NonEmpty(environment(EndpointVariable)) ?? DefaultGateway;
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new UsageException($"--gateway '{address}' is not an http:// or https:// address");
        }

        return (uri, NonEmpty(token) ?? ReadTokenFile(tokenFile) ?? NonEmpty(environment(TokenVariable)));
    }

    private static string? ReadTokenFile(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        try
        {
            return NonEmpty(File.ReadAllText(path)) ?? throw new UsageException($"--token-file {path}: the file is empty");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--token-file {path}: {ex.Message}", ex);
        }
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static void CheckName(string? value, string option, Action<string> error)
    {
        if (value is not null && !HostNames.IsValid(value))
        {
            error($"{option} '{value}' must be 1-63 lower-case letters, digits or inner dashes");
        }
    }

    private static void Positive<T>(Option<T> option, T max)
        where T : struct, System.Numerics.INumber<T>
    {
        option.Validators.Add(r =>
        {
            var value = r.GetValueOrDefault<T>();
            if (value <= T.Zero || value > max)
            {
                r.AddError($"{option.Name} must be 1-{max}");
            }
        });
    }
}

/// <summary>The simulator's options before the period is known.</summary>
internal sealed record SimulatorSettingsDraft(int Count, string Prefix, HostCapacity Capacity);
