using Edge.Actors.TestSupport;
namespace Edge.Actors.Cli.Tests;

/// <summary>edgectl without a gateway: help, usage errors and an unreachable endpoint.</summary>
public sealed class EdgectlUsageTests
{
    [Fact]
    public async Task Edgectl_Help_DocumentsTheExitCodes()
    {
        var help = await Edgectl.RunAsync("--help");

        Assert.True(help.ExitCode == 0, help.ToString());
        foreach (var code in new[] { "0  ok", "2  usage error", "3  NOT_FOUND", "4  ALREADY_EXISTS", "5  FAILED_PRECONDITION", "6  INVALID_ARGUMENT", "7  UNAUTHENTICATED or PERMISSION_DENIED", "8  UNAVAILABLE or DEADLINE_EXCEEDED" })
        {
            Assert.Contains(code, help.Stdout, StringComparison.Ordinal);
        }
    }

    public static TheoryData<string[], string> UsageErrors => new()
    {
        { ["vm", "list"], "Option '--site' is required" },
        { ["vm", "list", "--site", "s", "--bogus"], "Unrecognized command or argument '--bogus'" },
        { ["vm", "list", "--site", "s", "--output", "yaml"], "yaml" },
        { ["token", "create", "--role", "root"], "root" },
        { ["host"], "Required command was not provided" },
        { ["alarm", "list", "--site", "s", "--severity", "catastrophic"], "catastrophic" },
        { ["alarm", "show", "200.004", "--site", "s"], "Option '--entity' is required" },
        { ["device", "provision", "d-1", "--site", "s", "--service", "x", "--profile", "p", "--rule", "temperature:sideways:80"], "direction must be above or below" },
        { ["device", "rules", "d-1", "--site", "s", "--rule", "temperature:above:hot"], "limit 'hot' is not a number" },
        { ["device", "rules", "d-1", "--site", "s", "--rule", "temperature"], "must be RESOURCE:above|below:LIMIT" },
        { ["vm", "list", "--site", "s", "--endpoint", "ftp://nowhere"], "endpoint 'ftp://nowhere' is not an http:// or https:// address" },
        { ["vm", "list", "--site", "s", "--token-file", "/nonexistent/edgectl.token"], "--token-file /nonexistent/edgectl.token" },
    };

    [Theory]
    [MemberData(nameof(UsageErrors))]
    public async Task Edgectl_UsageError_ExitsWith2WithOneLine(string[] arguments, string says)
    {
        var result = await Edgectl.RunAsync(arguments);

        Assert.True(result.ExitCode == 2, result.ToString());
        var line = Assert.Single(result.StderrLines);
        Assert.StartsWith("edgectl: ", line, StringComparison.Ordinal);
        Assert.Contains(says, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Edgectl_UnreachableGateway_ExitsWith8NamingTheEndpoint()
    {
        var endpoint = $"http://127.0.0.1:{LoopbackPorts.Free()}";

        var result = await Edgectl.RunAsync("site", "list", "--endpoint", endpoint, "--token", "any");

        Assert.True(result.ExitCode == 8, result.ToString());
        var line = Assert.Single(result.StderrLines);
        Assert.StartsWith($"edgectl: UNAVAILABLE: cannot reach the gateway at {endpoint}", line, StringComparison.Ordinal);
    }
}
