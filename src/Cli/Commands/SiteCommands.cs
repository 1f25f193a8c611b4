using System.CommandLine;
using Edge.Actors.Gateway.Protos;

namespace Edge.Actors.Cli.Commands;

/// <summary><c>edgectl site list|show|create|manage|unmanage</c>.</summary>
internal static class SiteCommands
{
    public static Command Create(GlobalOptions globals) => new("site", "Sites (subclouds): create them, and manage them centrally")
    {
        List(globals),
        Show(globals),
        CreateSite(globals),
        Management(globals, "manage", "Bring a site under central management", (client, request, options) => client.ManageSiteAsync(request, options)),
        Management(globals, "unmanage", "Take a site out of central management", (client, request, options) => client.UnmanageSiteAsync(request, options)),
    };

    private static SiteService.SiteServiceClient Client(Session session) => new(session.Channel);

    private static Command List(GlobalOptions globals)
    {
        var management = CommandKit.Optional<string>("--management", "Only managed or unmanaged sites").AcceptOnlyFromAmong(Names.All<SiteManagement>());
        var command = new Command("list", "List the sites the token may see") { management };
        command.SetCall(globals, async (parse, session, cancellationToken) =>
        {
            var wanted = Names.Parse<SiteManagement>(parse.GetValue(management));
            var sites = await CommandKit.AllPagesAsync(
                page => Client(session).ListSitesAsync(new ListSitesRequest { Page = page, Management = wanted }, session.Unary(cancellationToken)).ResponseAsync,
                r => r.Sites,
                r => r.NextPageToken);
            session.Output.Show(sites, () => Tables.Sites(sites.Sites));
        });
        return command;
    }

    private static Command Show(GlobalOptions globals)
    {
        var site = CommandKit.Name("site", "The site's id");
        var command = new Command("show", "Show one site") { site };
        command.SetCall(globals, async (parse, session, cancellationToken) =>
        {
            var found = await Client(session).GetSiteAsync(new GetSiteRequest { SiteId = parse.GetValue(site) }, session.Unary(cancellationToken));
            session.Output.Show(found, () => Tables.Sites([found]));
        });
        return command;
    }

    private static Command CreateSite(GlobalOptions globals)
    {
        var site = CommandKit.Name("site", "The new site's id: 1-63 lower-case letters, digits or inner dashes");
        var description = CommandKit.Optional<string>("--description", "What the site is");
        var location = CommandKit.Optional<string>("--location", "Where the site is");
        var requestId = CommandKit.RequestId();
        var command = new Command("create", "Create a site (admin)") { site, description, location, requestId };
        command.SetCall(globals, async (parse, session, cancellationToken) =>
        {
            var created = await Client(session).CreateSiteAsync(new CreateSiteRequest
            {
                RequestId = parse.RequestIdOf(requestId),
                SiteId = parse.GetValue(site),
                Description = parse.GetValue(description) ?? string.Empty,
                Location = parse.GetValue(location) ?? string.Empty,
            }, session.Unary(cancellationToken));
            session.Output.Show(created, () => Tables.Sites([created]));
        });
        return command;
    }

    private static Command Management(GlobalOptions globals, string name, string description, Func<SiteService.SiteServiceClient, SiteCommandRequest, Grpc.Core.CallOptions, Grpc.Core.AsyncUnaryCall<Site>> call)
    {
        var site = CommandKit.Name("site", "The site's id");
        var requestId = CommandKit.RequestId();
        var command = new Command(name, $"{description} (admin)") { site, requestId };
        command.SetCall(globals, async (parse, session, cancellationToken) =>
        {
            var changed = await call(Client(session), new SiteCommandRequest { RequestId = parse.RequestIdOf(requestId), SiteId = parse.GetValue(site) }, session.Unary(cancellationToken));
            session.Output.Show(changed, () => Tables.Sites([changed]));
        });
        return command;
    }
}
