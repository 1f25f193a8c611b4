using Edge.Actors.Abstractions;

namespace Edge.Actors.Agent.Tests;

public class HostNamesTests
{
    [Theory]
    [InlineData("worker-7", "worker-7")]
    [InlineData("Worker7.lab.example.com", "worker7")]
    [InlineData("EDGE_Node__01", "edge-node-01")]
    [InlineData("-odd--name-", "odd-name")]
    [InlineData("___", "host")]
    [InlineData("", "host")]
    [InlineData("Ünïcode-box", "n-code-box")]
    public void Derive_MachineName_GivesAValidHostName(string machineName, string expected)
    {
        var name = HostNames.Derive(machineName);

        Assert.Equal(expected, name);
        Assert.True(ResourceNames.IsValidName(name));
    }

    [Fact]
    public void Derive_LongName_IsCutTo63WithoutATrailingDash()
    {
        var name = HostNames.Derive(new string('a', 62) + "-b" + new string('c', 10));

        Assert.Equal(new string('a', 62), name);
        Assert.True(ResourceNames.IsValidName(name));
    }

    [Fact]
    public void Derive_ThisMachine_IsValid()
    {
        Assert.True(ResourceNames.IsValidName(HostNames.Derive(Environment.MachineName)));
    }

    [Theory]
    [InlineData("host", true)]
    [InlineData("a-1", true)]
    [InlineData("A", false)]
    [InlineData("-a", false)]
    [InlineData("a-", false)]
    [InlineData("a_b", false)]
    [InlineData("", false)]
    public void IsValid_AgreesWithTheProductsRule(string name, bool valid)
    {
        Assert.Equal(valid, HostNames.IsValid(name));
        Assert.Equal(ResourceNames.IsValidName(name), HostNames.IsValid(name));
    }

    [Theory]
    [InlineData(1, 3, "sim-0001")]
    [InlineData(42, 9999, "sim-0042")]
    [InlineData(7, 12000, "sim-00007")]
    public void Simulated_IsNumberedWithAtLeastFourDigits(int number, int count, string expected)
    {
        Assert.Equal(expected, HostNames.Simulated("sim", number, count));
    }
}
