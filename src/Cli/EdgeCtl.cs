using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using Edge.Actors.Cli.Commands;

namespace Edge.Actors.Cli;

/// <summary>The root command: global options, one command group per resource, and usage errors as exit code 2.</summary>
internal static class EdgeCtl
{
    public const string Name = "edgectl";

    public static readonly string Description = string.Join('\n',
        "edgectl: drives an Edge.Actors control plane through its gRPC API.",
        "",
        $"Gateway: --endpoint, else ${GlobalOptions.EndpointVariable}, else \"endpoint\" in {CliConfig.DefaultPath}, else {GlobalOptions.DefaultEndpoint}.",
        $"Token: --token or --token-file, else ${GlobalOptions.TokenVariable}, else \"token\" in that file.",
        "Every command that changes something sends a fresh request id; pass --request-id to retry one safely.",
        "",
        "Exit codes:",
        $"  {ExitCodes.Ok}  ok",
        $"  {ExitCodes.Failed}  any other error",
        $"  {ExitCodes.Usage}  usage error (bad arguments or options, unreadable token file or config)",
        $"  {ExitCodes.NotFound}  NOT_FOUND",
        $"  {ExitCodes.AlreadyExists}  ALREADY_EXISTS",
        $"  {ExitCodes.FailedPrecondition}  FAILED_PRECONDITION (refused in the current state)",
        $"  {ExitCodes.InvalidArgument}  INVALID_ARGUMENT (the field is named)",
        $"  {ExitCodes.Denied}  UNAUTHENTICATED or PERMISSION_DENIED",
        $"  {ExitCodes.Unreachable}  UNAVAILABLE or DEADLINE_EXCEEDED (the gateway cannot be reached or did not answer in time)");

    public static RootCommand Create()
    {
        var globals = new GlobalOptions();
        var root = new RootCommand(Description);
        globals.AddTo(root);
        root.Add(SiteCommands.Create(globals));
        root.Add(HostCommands.Create(globals));
        root.Add(VmCommands.Create(globals));
        root.Add(PodCommands.Create(globals));
        root.Add(PoolCommands.Create(globals));
        root.Add(DeviceCommands.Create(globals));
        root.Add(AlarmCommands.Create(globals));
        root.Add(EventLogCommands.Create(globals));
        root.Add(EventCommands.Create(globals));
        root.Add(TokenCommands.Create(globals));
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var parse = Create().Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            // One line, no help dump: a script's log shows what was wrong.
            var errors = string.Join("; ", parse.Errors.Select(e => e.Message.TrimEnd('.')).Distinct(StringComparer.Ordinal));
            var path = string.Join(' ', parse.Tokens.Where(t => t.Type == TokenType.Command).Select(t => t.Value).Prepend(Name));
            await Console.Error.WriteLineAsync(ErrorLine.For($"{errors} (see '{path} --help')"));
            return ExitCodes.Usage;
        }

        return await parse.InvokeAsync();
    }
}
