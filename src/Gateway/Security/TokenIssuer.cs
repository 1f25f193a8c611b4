using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Edge.Actors.Gateway.Security;

/// <summary>Signs bearer tokens (JWT, HMAC-SHA256) with the gateway's key.</summary>
public sealed class TokenIssuer(SymmetricSecurityKey key, TimeProvider time)
{
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromDays(30);

    public SymmetricSecurityKey Key { get; } = key;

    public (string Token, DateTimeOffset ExpiresAt) Issue(string subject, EdgeRole role, IReadOnlyCollection<string> sites, TimeSpan? lifetime = null)
    {
        var now = time.GetUtcNow();
        var expires = now + (lifetime ?? DefaultLifetime);
        var claims = new List<Claim> { new("sub", subject), new(Caller.RoleClaim, role.ToString().ToLowerInvariant()) };
        claims.AddRange(sites.Select(site => new Claim(Caller.SiteClaim, site)));
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = GatewaySettings.Issuer,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.HmacSha256),
        });
        return (token, expires);
    }

    public TokenValidationParameters ValidationParameters() => new()
    {
        ValidIssuer = GatewaySettings.Issuer,
        ValidateAudience = false,
        IssuerSigningKey = Key,
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        ClockSkew = TimeSpan.FromSeconds(30),
        RoleClaimType = Caller.RoleClaim,
        NameClaimType = "sub",
    };
}
