namespace Edge.Actors.Agent.Tests;

public class AgentOptionsTests
{
    [Theory]
    [InlineData("Option '--site' is required")]
    [InlineData("--period must be 10-3600000 ms", "--site", "s1", "--period", "5")]
    [InlineData("--site 'S_1' must be", "--site", "S_1")]
    [InlineData("--name 'My.Host' must be", "--site", "s1", "--name", "My.Host")]
    [InlineData("Argument 'gpu' not recognized. Must be one of: 'worker' 'controller' 'storage'", "--site", "s1", "--personality", "gpu")]
    [InlineData("--simulate must be 1-100000 hosts", "--site", "s1", "--simulate", "0")]
    [InlineData("--stay-locked is for a real host's agent, not with --simulate", "--site", "s1", "--simulate", "3", "--stay-locked")]
    [InlineData("--capacity-vcpus needs --simulate", "--site", "s1", "--capacity-vcpus", "8")]
    [InlineData("--capacity-memory-mib must be 1-", "--site", "s1", "--simulate", "3", "--capacity-memory-mib", "0")]
    [InlineData("--prefix 'Sim' does not make valid host names", "--site", "s1", "--simulate", "3", "--prefix", "Sim")]
    [InlineData("--gateway 'localhost:5080' is not an http:// or https:// address", "--site", "s1", "--gateway", "localhost:5080")]
    [InlineData("--token-file /no/such/token: ", "--site", "s1", "--token-file", "/no/such/token")]
    public async Task Run_BadOptions_ExitsWithUsageAndOneLine(string expected, params string[] args)
    {
        var error = new LineLog();

        var code = await EdgeAgent.RunAsync(args, new EdgeAgent.Console(TextReader.Null, new LineLog(), error), handleTermination: false, CancellationToken.None);

        Assert.Equal(AgentExitCodes.Usage, code);
        var line = Assert.Single(error.Lines);
        Assert.StartsWith("edge-agent: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_FlagsWinOverTheEnvironment()
    {
        var environment = new Dictionary<string, string?> { ["EDGE_ENDPOINT"] = "http://10.0.0.1:5080", ["EDGE_TOKEN"] = "from-env" };

        var (gateway, token) = AgentOptions.Resolve("http://127.0.0.1:6000", "from-flag", null, k => environment.GetValueOrDefault(k));

        Assert.Equal(new Uri("http://127.0.0.1:6000"), gateway);
        Assert.Equal("from-flag", token);
    }

    [Fact]
    public void Resolve_TokenFileWinsOverTheEnvironment_AndTheDefaultGatewayIsTheSilos()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "from-file\n");

            var (gateway, token) = AgentOptions.Resolve(null, null, file, k => k == "EDGE_TOKEN" ? "from-env" : null);

            Assert.Equal(new Uri("http://127.0.0.1:5080"), gateway);
            Assert.Equal("from-file", token);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Resolve_NoTokenAnywhere_IsNull()
    {
        Assert.Null(AgentOptions.Resolve(null, null, null, _ => null).Token);
    }
}
