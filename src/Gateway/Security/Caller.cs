using System.Security.Claims;
using Grpc.Core;

namespace Edge.Actors.Gateway.Security;

/// <summary>Who is calling, from the validated bearer token: a role and, optionally, the only sites it may touch.</summary>
internal sealed record Caller(string Subject, EdgeRole Role, IReadOnlySet<string>? Sites)
{
    public const string RoleClaim = "role";
    public const string SiteClaim = "site";

    public static Caller From(ServerCallContext context)
    {
        var user = context.GetHttpContext().User;
        if (user.Identity?.IsAuthenticated != true)
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "a bearer token is required"));
        }

        var role = Enum.TryParse<EdgeRole>(user.FindFirstValue(RoleClaim), ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
            ? parsed
            : throw new RpcException(new Status(StatusCode.PermissionDenied, "the token carries no known role"));
        var sites = user.FindAll(SiteClaim).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        return new Caller(user.FindFirstValue("sub") ?? "unknown", role, sites.Count == 0 ? null : sites);
    }

    /// <summary>Refuses (PERMISSION_DENIED) unless the caller holds <paramref name="role"/> and may touch <paramref name="site"/>.</summary>
    public Caller Require(EdgeRole role, string? site = null)
    {
        if (Role < role)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, $"this needs the {role.ToString().ToLowerInvariant()} role; the token has {Role.ToString().ToLowerInvariant()}"));
        }

        if (site is not null && !MaySee(site))
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, $"the token is not valid for site {site}"));
        }

        return this;
    }

    public bool MaySee(string site) => Sites is null || Sites.Contains(site);

    public static EdgeRole Of(ServerCallContext context) => From(context).Role;
}
