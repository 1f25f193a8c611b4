using System.CommandLine;

namespace Edge.Actors.Cli;

/// <summary>The options every command takes: where the gateway is, the token, the output format and the deadline.</summary>
internal sealed class GlobalOptions
{
    public const string EndpointVariable = "EDGE_ENDPOINT";
    public const string TokenVariable = "EDGE_TOKEN";
    public const string DefaultEndpoint = "http://127.0.0.1:5080";

    public Option<string> Endpoint { get; } = new("--endpoint")
    {
        Description = $"Gateway address, http://host:port (cleartext HTTP/2) or https://; default ${EndpointVariable}, the config file, then {DefaultEndpoint}",
        Recursive = true,
    };

    public Option<string> Token { get; } = new("--token")
    {
        Description = $"Bearer token; default ${TokenVariable}, then the config file",
        Recursive = true,
    };

    public Option<string> TokenFile { get; } = new("--token-file")
    {
        Description = "Read the bearer token from this file (such as the silo's <data>/admin.token)",
        Recursive = true,
    };

    public Option<string> Output { get; } = new Option<string>("--output", "-o")
    {
        Description = "table for people, json (the API's messages) for scripts",
        DefaultValueFactory = _ => "table",
        Recursive = true,
    }.AcceptOnlyFromAmong("table", "json");

    public Option<int> Timeout { get; } = new("--timeout")
    {
        Description = "Seconds to wait for each call before giving up (exit code 8)",
        DefaultValueFactory = _ => 30,
        Recursive = true,
    };

    public void AddTo(RootCommand root)
    {
        ArgumentNullException.ThrowIfNull(root);
        Timeout.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 86_400)
            {
                result.AddError("--timeout must be 1-86400 seconds");
            }
        });
        root.Add(Endpoint);
        root.Add(Token);
        root.Add(TokenFile);
        root.Add(Output);
        root.Add(Timeout);
    }

    /// <summary>Resolves the connection settings and opens a channel; throws <see cref="UsageException"/> for a bad endpoint or an unreadable token file.</summary>
    public Session Open(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var settings = Resolve(parse.GetValue(Endpoint), parse.GetValue(Token), parse.GetValue(TokenFile), Environment.GetEnvironmentVariable, () => CliConfig.Load(CliConfig.DefaultPath));
        var format = parse.GetValue(Output) == "json" ? OutputFormat.Json : OutputFormat.Table;
        return new Session(settings.Endpoint, settings.Token, TimeSpan.FromSeconds(parse.GetValue(Timeout)), format);
    }

    /// <summary>
    /// Flags win, then the environment, then the config file (read only when needed), then the default endpoint.
    /// A token may be absent: the gateway then answers UNAUTHENTICATED.
    /// </summary>
    public static (Uri Endpoint, string? Token) Resolve(string? endpoint, string? token, string? tokenFile, Func<string, string?> environment, Func<CliConfig> config)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(config);
        CliConfig? loaded = null;
        CliConfig Config() => loaded ??= config();

        var address = NonEmpty(endpoint) ?? NonEmpty(environment(EndpointVariable)) ?? NonEmpty(Config().Endpoint) ?? DefaultEndpoint;
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new UsageException($"endpoint '{address}' is not an http:// or https:// address");
        }

        var bearer = NonEmpty(token) ?? ReadTokenFile(tokenFile) ?? NonEmpty(environment(TokenVariable)) ?? NonEmpty(Config().Token);
        return (uri, bearer);
    }

    private static string? ReadTokenFile(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        try
        {
            return NonEmpty(File.ReadAllText(path).Trim()) ?? throw new UsageException($"--token-file {path}: the file is empty");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--token-file {path}: {ex.Message}", ex);
        }
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
