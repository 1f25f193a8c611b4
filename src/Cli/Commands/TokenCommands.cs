using System.CommandLine;
using Edge.Actors.Gateway.Protos;

namespace Edge.Actors.Cli.Commands;

/// <summary><c>edgectl token create --role admin|operator|reader [--sites a,b] [--ttl SECONDS]</c>.</summary>
internal static class TokenCommands
{
    public static Command Create(GlobalOptions globals) => new("token", "Access tokens for the gateway (admin)") { CreateToken(globals) };

    private static Command CreateToken(GlobalOptions globals)
    {
        var role = CommandKit.Required<string>("--role", "What the token may do: reader reads, operator also acts on hosts, VMs and pods, admin does everything")
            .AcceptOnlyFromAmong("admin", "operator", "reader");
        var sites = CommandKit.Optional<string>("--sites", "Comma-separated sites the token is limited to; default all sites");
        var ttl = CommandKit.Optional<long>("--ttl", "Lifetime in seconds; default 30 days");
        var subject = CommandKit.Optional<string>("--subject", "Who the token is for; default the role");
        var command = new Command("create", "Create a token and print it (with --output json, its expiry too)") { role, sites, ttl, subject };
        command.SetCall(globals, async (parse, session, cancellationToken) =>
        {
            var request = new CreateTokenRequest { Role = parse.GetValue(role), TtlSeconds = parse.GetValue(ttl), Subject = parse.GetValue(subject) ?? string.Empty };
            request.Sites.AddRange((parse.GetValue(sites) ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            var created = await new TokenService.TokenServiceClient(session.Channel).CreateTokenAsync(request, session.Unary(cancellationToken));
            // The bare token on one line, so that TOKEN=$(edgectl token create ...) works.
            session.Output.Show(created, created.Token);
        });
        return command;
    }
}
