using System.CommandLine;
using Edge.Actors.Gateway.Protos;
using Google.Protobuf;
using Google.Protobuf.Collections;
using Grpc.Core;

namespace Edge.Actors.Cli.Commands;

/// <summary>What every command shares: the --site and --request-id options, paging, and running a call with its errors turned into exit codes.</summary>
internal static class CommandKit
{
    /// <summary>Page size asked of List calls; a list follows next_page_token to the end.</summary>
    public const int PageSize = 1000;

    public static Option<string> Site() => new("--site") { Description = "The site", Required = true };

    public static Option<string> RequestId() => new("--request-id")
    {
        Description = "Request id to send (default: a fresh GUID); resending one makes a retry safe: the change is applied once",
    };

    public static Argument<string> Name(string name, string description) => new(name) { Description = description };

    public static Option<T> Required<T>(string name, string description) => new(name) { Description = description, Required = true };

    public static Option<T> Optional<T>(string name, string description) => new(name) { Description = description };

    public static string RequestIdOf(this ParseResult parse, Option<string> option)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return parse.GetValue(option) is { Length: > 0 } id ? id : Guid.NewGuid().ToString();
    }

    /// <summary>Every page of a List call, gathered into one response.</summary>
    public static async Task<TResponse> AllPagesAsync<TResponse, TItem>(
        Func<Page, Task<TResponse>> list, Func<TResponse, RepeatedField<TItem>> items, Func<TResponse, string> next)
        where TResponse : IMessage<TResponse>, new()
    {
        ArgumentNullException.ThrowIfNull(list);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(next);
        var all = new TResponse();
        var page = new Page { PageSize = PageSize };
        while (true)
        {
            var response = await list(page);
            items(all).AddRange(items(response));
            if (next(response) is not { Length: > 0 } token)
            {
                return all;
            }

            page = new Page { PageSize = PageSize, PageToken = token };
        }
    }

    /// <summary>
    /// Runs <paramref name="call"/> with a session and returns the exit code: every failure becomes one line on stderr,
    /// never a stack trace.
    /// </summary>
    public static void SetCall(this Command command, GlobalOptions globals, Func<ParseResult, Session, CancellationToken, Task> call)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(globals);
        ArgumentNullException.ThrowIfNull(call);
        command.SetAction(async (parse, cancellationToken) =>
        {
            Session? session = null;
            try
            {
                session = globals.Open(parse);
                await call(parse, session, cancellationToken);
                return ExitCodes.Ok;
            }
            catch (UsageException ex)
            {
                await Console.Error.WriteLineAsync(ErrorLine.For(ex.Message));
                return ExitCodes.Usage;
            }
            catch (RpcException ex)
            {
                await Console.Error.WriteLineAsync(ErrorLine.For(ex, session?.Endpoint ?? string.Empty));
                return ExitCodes.For(ex.StatusCode);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await Console.Error.WriteLineAsync(ErrorLine.For("cancelled"));
                return ExitCodes.Failed;
            }
#pragma warning disable CA1031 // The last resort of a command line: any other failure is one line and exit code 1, not a stack trace.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                await Console.Error.WriteLineAsync(ErrorLine.For($"{ex.GetType().Name}: {ex.Message}"));
                return ExitCodes.Failed;
            }
            finally
            {
                session?.Dispose();
            }
        });
    }
}
