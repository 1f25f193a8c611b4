using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace Edge.Actors.Cli.Tests;

/// <summary>edgectl's pieces in process: where settings come from, and how a failure reads.</summary>
public sealed class CliUnitTests
{
    private static readonly Dictionary<string, string> Environment = new(StringComparer.Ordinal)
    {
        [GlobalOptions.EndpointVariable] = "http://env:1",
        [GlobalOptions.TokenVariable] = "env-token",
    };

    [Fact]
    public void Settings_FlagsGiven_WinOverEnvironmentAndConfig()
    {
        var (endpoint, token) = GlobalOptions.Resolve("http://flag:1", "flag-token", null, Environment.GetValueOrDefault, () => new CliConfig("http://config:1", "config-token"));

        Assert.Equal(("http://flag:1/", "flag-token"), (endpoint.ToString(), token));
    }

    [Fact]
    public void Settings_NoFlags_ComeFromTheEnvironmentThenTheConfigThenTheDefault()
    {
        var fromEnvironment = GlobalOptions.Resolve(null, null, null, Environment.GetValueOrDefault, () => new CliConfig("http://config:1", "config-token"));
        var fromConfig = GlobalOptions.Resolve(null, null, null, _ => null, () => new CliConfig("http://config:1", "config-token"));
        var byDefault = GlobalOptions.Resolve(null, null, null, _ => null, () => CliConfig.Empty);

        Assert.Equal(("http://env:1/", "env-token"), (fromEnvironment.Endpoint.ToString(), fromEnvironment.Token));
        Assert.Equal(("http://config:1/", "config-token"), (fromConfig.Endpoint.ToString(), fromConfig.Token));
        Assert.Equal((new Uri(GlobalOptions.DefaultEndpoint), null), byDefault);
    }

    [Fact]
    public void Settings_TokenFile_IsReadTrimmedAndWinsOverTheEnvironment()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "file-token\n");

            var (_, token) = GlobalOptions.Resolve(null, null, file, Environment.GetValueOrDefault, () => CliConfig.Empty);

            Assert.Equal("file-token", token);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Config_NotJson_IsAUsageErrorNamingTheFile()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "endpoint: http://x");

            var error = Assert.Throws<UsageException>(() => CliConfig.Load(file));

            Assert.StartsWith(file, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void ErrorLine_BadRequestDetail_NamesTheFieldOnOneLine()
    {
        var status = new Google.Rpc.Status { Code = (int)Code.InvalidArgument, Message = "name is required" };
        status.Details.Add(Any.Pack(new BadRequest { FieldViolations = { new BadRequest.Types.FieldViolation { Field = "name", Description = "name is required" } } }));

        var line = ErrorLine.For(status.ToRpcException(), "http://127.0.0.1:5080");

        Assert.Equal("edgectl: INVALID_ARGUMENT: name: name is required", line);
    }

    [Theory]
    [InlineData(StatusCode.OK, 0)]
    [InlineData(StatusCode.NotFound, 3)]
    [InlineData(StatusCode.AlreadyExists, 4)]
    [InlineData(StatusCode.FailedPrecondition, 5)]
    [InlineData(StatusCode.InvalidArgument, 6)]
    [InlineData(StatusCode.Unauthenticated, 7)]
    [InlineData(StatusCode.PermissionDenied, 7)]
    [InlineData(StatusCode.Unavailable, 8)]
    [InlineData(StatusCode.DeadlineExceeded, 8)]
    [InlineData(StatusCode.Internal, 1)]
    [InlineData(StatusCode.Aborted, 1)]
    public void ExitCode_ForEachStatus_IsTheDocumentedOne(StatusCode status, int exitCode) =>
        Assert.Equal(exitCode, ExitCodes.For(status));

    [Fact]
    public void Rule_FromTheCommandLine_HasItsDefaultsAndParsesInvariantNumbers()
    {
        var full = Commands.DeviceCommands.ParseRule("temperature:below:-2.5:0.5:critical");
        var brief = Commands.DeviceCommands.ParseRule("humidity:above:1e2");

        Assert.Equal(("temperature", Gateway.Protos.ThresholdDirection.Below, -2.5, 0.5, Gateway.Protos.AlarmSeverity.Critical), (full.Resource, full.Direction, full.Limit, full.Hysteresis, full.Severity));
        Assert.Equal(("humidity", Gateway.Protos.ThresholdDirection.Above, 100.0, 0.0, Gateway.Protos.AlarmSeverity.Major), (brief.Resource, brief.Direction, brief.Limit, brief.Hysteresis, brief.Severity));
        Assert.Throws<UsageException>(() => Commands.DeviceCommands.ParseRule("humidity:above:1:2:catastrophic"));
    }
}
