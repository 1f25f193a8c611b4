using System.Text.Json;

namespace Edge.Actors.Cli;

/// <summary>The optional config file, <c>~/.config/edgectl/config.json</c>: <c>{"endpoint": "...", "token": "..."}</c>.</summary>
internal sealed record CliConfig(string? Endpoint, string? Token)
{
    public static readonly CliConfig Empty = new(null, null);

    public static string DefaultPath => Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData, Environment.SpecialFolderOption.DoNotVerify), "edgectl", "config.json");

    /// <summary>The file's settings; none when it does not exist. Throws <see cref="UsageException"/> naming the file when it cannot be read.</summary>
    public static CliConfig Load(string path)
    {
        if (!File.Exists(path))
        {
            return Empty;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new UsageException($"{path}: expected a JSON object like {{\"endpoint\": \"...\", \"token\": \"...\"}}");
            }

            return new CliConfig(Text(document.RootElement, "endpoint", path), Text(document.RootElement, "token", path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new UsageException($"{path}: {ex.Message}", ex);
        }
    }

    private static string? Text(JsonElement root, string name, string path) =>
        !root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : throw new UsageException($"{path}: \"{name}\" must be a string");
}
