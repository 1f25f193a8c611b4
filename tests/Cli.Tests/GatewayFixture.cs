namespace Edge.Actors.Cli.Tests;

/// <summary>One real silo (SQLite in a temporary folder) serving the gRPC gateway, shared by a test class; each test uses its own site.</summary>
public class GatewayFixture : IAsyncLifetime
{
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(90);

    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("edgectl-silo-");
    private SiloProcess? _silo;

    internal SiloProcess Silo => _silo ?? throw new InvalidOperationException("the silo has not started");

    public string Endpoint => Silo.Endpoint;

    /// <summary>The MQTT broker the silo's bridge uses instead of its embedded one, if any.</summary>
    private protected virtual (string Host, int Port, string User, string Password)? ExternalBroker => null;

    public virtual async Task InitializeAsync()
    {
        _silo = SiloProcess.Start(_data.FullName, ExternalBroker);
        await _silo.WaitForLogAsync($"gRPC gateway serving on {_silo.Endpoint}", Startup);
        // Logged once the token file is complete, right after the serving line.
        await _silo.WaitForLogAsync("an admin token was written to", Startup);
    }

    public virtual async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }

        _data.Delete(recursive: true);
    }

    /// <summary>edgectl against this gateway with the admin token file.</summary>
    internal Task<EdgectlResult> AsAdminAsync(params string[] arguments) =>
        Edgectl.RunAsync([.. arguments, "--endpoint", Endpoint, "--token-file", Silo.AdminTokenFile]);

    /// <summary>edgectl against this gateway with <paramref name="token"/>.</summary>
    internal Task<EdgectlResult> WithTokenAsync(string token, params string[] arguments) =>
        Edgectl.RunAsync([.. arguments, "--endpoint", Endpoint, "--token", token]);

    /// <summary>Runs as admin and fails the test, with what edgectl printed, unless it exits 0; returns stdout.</summary>
    internal async Task<string> OkAsync(params string[] arguments)
    {
        var result = await AsAdminAsync(arguments);
        Assert.True(result.ExitCode == 0, $"edgectl {string.Join(' ', arguments)}: {result}");
        return result.Stdout;
    }
}
