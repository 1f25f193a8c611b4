using Edge.Actors.Agent.Simulation;

namespace Edge.Actors.Agent.Tests;

public class DrillCommandTests
{
    [Theory]
    [InlineData("stop sim-0003", "Stop", "sim-0003")]
    [InlineData("  start   sim-0003 ", "Start", "sim-0003")]
    [InlineData("stop-all", "StopAll", null)]
    [InlineData("start-all", "StartAll", null)]
    [InlineData("status", "Status", null)]
    public void Parse_KnownCommand_GivesVerbAndHost(string line, string verb, string? host)
    {
        Assert.Equal(new DrillCommand(Enum.Parse<DrillVerb>(verb), host), DrillCommand.Parse(line, out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("stop")]
    [InlineData("stop a b")]
    [InlineData("kill sim-0001")]
    [InlineData("status now")]
    public void Parse_UnknownCommand_SaysWhatIsExpected(string line)
    {
        Assert.Null(DrillCommand.Parse(line, out var error));
        Assert.Contains(DrillCommand.Usage, error, StringComparison.Ordinal);
    }
}
