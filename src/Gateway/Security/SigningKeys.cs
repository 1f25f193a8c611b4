using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Edge.Actors.Gateway.Security;

/// <summary>The signing key from configuration, or on the embedded default one generated once and kept beside the data, with a first admin token.</summary>
internal static class SigningKeys
{
    public const string KeyFileName = "gateway-signing.key";
    public const string AdminTokenFileName = "admin.token";

    public static SymmetricSecurityKey Load(GatewaySettings settings)
    {
        if (settings.SigningKey is { } configured)
        {
            return FromBase64(configured, "Edge:Gateway:SigningKey");
        }

        var path = Path.GetFullPath(Path.Combine(settings.KeyFolder, KeyFileName));
        if (File.Exists(path))
        {
            return FromBase64(File.ReadAllText(path).Trim(), path);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var bytes = RandomNumberGenerator.GetBytes(32);
        // Two processes starting on one folder race to create the key; the loser uses the winner's.
        return WritePrivate(path, Convert.ToBase64String(bytes))
            ? new SymmetricSecurityKey(bytes)
            : FromBase64(File.ReadAllText(path).Trim(), path);
    }

    /// <summary>Writes the first admin token next to the key unless one is there; returns its path, or null if it already existed.</summary>
    public static string? EnsureAdminToken(GatewaySettings settings, TokenIssuer issuer)
    {
        if (settings.SigningKey is not null)
        {
            return null;
        }

        var path = Path.GetFullPath(Path.Combine(settings.KeyFolder, AdminTokenFileName));
        if (File.Exists(path))
        {
            return null;
        }

        var (token, _) = issuer.Issue("admin", EdgeRole.Admin, [], TimeSpan.FromDays(365));
        return WritePrivate(path, token) ? path : null;
    }

    private static SymmetricSecurityKey FromBase64(string value, string source)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(value);
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"{source}: the signing key is not base64");
        }

        return bytes.Length >= 32 ? new SymmetricSecurityKey(bytes) : throw new InvalidOperationException($"{source}: the signing key must be at least 32 bytes");
    }

    /// <summary>Creates the file with owner-only access; false when it already exists.</summary>
    private static bool WritePrivate(string path, string content)
    {
        // Owner-only from the first byte: the key and token grant full control of the region.
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        FileStream stream;
        try
        {
            stream = new FileStream(path, options);
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }

        using (stream)
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(content);
        }

        return true;
    }
}
