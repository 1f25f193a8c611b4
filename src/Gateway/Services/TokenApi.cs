using Edge.Actors.Gateway.Errors;
using Edge.Actors.Gateway.Protos;
using Edge.Actors.Gateway.Security;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Edge.Actors.Gateway.Services;

internal sealed class TokenApi(TokenIssuer issuer) : TokenService.TokenServiceBase
{
    private static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(366);

    public override Task<CreateTokenResponse> CreateToken(CreateTokenRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context).Require(EdgeRole.Admin);
        if (!System.Enum.TryParse<EdgeRole>(request.Role, ignoreCase: true, out var role) || !System.Enum.IsDefined(role) || int.TryParse(request.Role, out _))
        {
            throw GrpcErrors.InvalidArgument("role", "role must be admin, operator or reader");
        }

        var sites = request.Sites.Select((s, i) => Require.Name(s, $"sites[{i}]")).Distinct(StringComparer.Ordinal).ToList();
        var lifetime = request.TtlSeconds switch
        {
            0 => TokenIssuer.DefaultLifetime,
            < 0 => throw GrpcErrors.InvalidArgument("ttl_seconds", "ttl_seconds must be 0 or more"),
            var s when s > MaxLifetime.TotalSeconds => throw GrpcErrors.InvalidArgument("ttl_seconds", $"ttl_seconds must be at most {MaxLifetime.TotalSeconds}"),
            var s => TimeSpan.FromSeconds(s),
        };
        var subject = Require.Text(request.Subject, "subject");
        // A token scoped to some sites can only hand out tokens for those sites: never wider than its own.
        if (caller.Sites is not null && (sites.Count == 0 || !sites.All(caller.MaySee)))
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, "a site-scoped token can only create tokens for its own sites"));
        }

        var (token, expires) = issuer.Issue(subject.Length == 0 ? role.ToString().ToLowerInvariant() : subject, role, sites, lifetime);
        return Task.FromResult(new CreateTokenResponse { Token = token, ExpiresAt = Timestamp.FromDateTimeOffset(expires) });
    }
}
