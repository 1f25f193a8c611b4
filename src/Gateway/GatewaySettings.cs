using System.Net;

namespace Edge.Actors.Gateway;

/// <summary>Where the gateway listens, how it proves who callers are, and what it accepts.</summary>
public sealed record GatewaySettings
{
    /// <summary>The address to listen on; loopback by default.</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>The port for gRPC and its HTTP/JSON view.</summary>
    public int Port { get; init; } = 5080;

    /// <summary>A PEM certificate (with its key in <see cref="TlsKeyFile"/>) to serve TLS with; none serves cleartext.</summary>
    public string? TlsCertificateFile { get; init; }

    public string? TlsKeyFile { get; init; }

    /// <summary>Lets a non-loopback address serve without TLS, which otherwise is refused: tokens would cross the network in the clear.</summary>
    public bool AllowInsecure { get; init; }

    /// <summary>The HMAC key tokens are signed with (at least 32 bytes, base64); when unset, one kept in <see cref="KeyFolder"/>.</summary>
    public string? SigningKey { get; init; }

    /// <summary>Where a generated signing key and the first admin token are kept when no key is configured.</summary>
    public string KeyFolder { get; init; } = "data";

    /// <summary>The largest request message accepted, in bytes.</summary>
    public int MaxRequestBytes { get; init; } = 1024 * 1024;

    public const string Issuer = "edge-actors";
}
