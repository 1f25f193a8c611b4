using System.Diagnostics;
using System.Net.Sockets;

namespace Edge.Actors.TestSupport;

/// <summary>
/// A real Mosquitto broker (Debian's package) on a free loopback port, with password authentication, an ACL and
/// on-disk persistence in a temporary folder; restartable, so QoS 1 sessions can be shown to survive a broker restart.
/// </summary>
public sealed class MosquittoServer : IAsyncDisposable
{
    private static readonly string[] Binaries = ["/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto"];

    private readonly DirectoryInfo _folder;
    private readonly string _config;
    private Process? _process;

    private MosquittoServer(DirectoryInfo folder, string config, int port)
    {
        _folder = folder;
        _config = config;
        Port = port;
    }

    public static string Host => "127.0.0.1";

    public int Port { get; }

    /// <summary>
    /// Starts a broker accepting exactly <paramref name="users"/> (name and password) and applying
    /// <paramref name="acl"/>, in Mosquitto's acl_file syntax (e.g. <c>user bridge</c> / <c>topic readwrite #</c>).
    /// </summary>
    public static async Task<MosquittoServer> StartAsync(IReadOnlyDictionary<string, string> users, string acl, CancellationToken cancellationToken = default)
    {
        var binary = Binaries.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("mosquitto is not installed: run ./test.sh as root, or apt-get install mosquitto mosquitto-clients");
        var folder = Directory.CreateTempSubdirectory("edge-mosquitto-");
        var passwords = Path.Combine(folder.FullName, "passwords");
        var first = true;
        foreach (var (name, password) in users)
        {
            await ProcessRunner.RunAsync("mosquitto_passwd", first ? ["-b", "-c", passwords, name, password] : ["-b", passwords, name, password], TimeSpan.FromSeconds(30), cancellationToken);
            first = false;
        }

        var aclFile = Path.Combine(folder.FullName, "acl");
        await File.WriteAllTextAsync(aclFile, acl, cancellationToken);
        var port = LoopbackPorts.Free();
        var config = Path.Combine(folder.FullName, "mosquitto.conf");
        await File.WriteAllTextAsync(config, $"""
            # Root keeps root: the files live in a temporary folder of the test's user.
            user root
            listener {port} 127.0.0.1
            allow_anonymous false
            password_file {passwords}
            acl_file {aclFile}
            persistence true
            persistence_location {folder.FullName}/
            autosave_interval 1
            max_queued_messages 100000
            max_inflight_messages 100
            log_dest stdout
            """.Replace("            ", string.Empty, StringComparison.Ordinal), cancellationToken);
        var server = new MosquittoServer(folder, config, port);
        await server.StartProcessAsync(binary, cancellationToken);
        return server;
    }

    /// <summary>A broker applying the product's own Mosquitto ACL, <c>docker/mosquitto/acl</c>, as a site would run it.</summary>
    public static async Task<MosquittoServer> StartWithDockerAclAsync(IReadOnlyDictionary<string, string> users, CancellationToken cancellationToken = default) =>
        await StartAsync(users, await DockerAclAsync(cancellationToken), cancellationToken);

    /// <summary>The text of <c>docker/mosquitto/acl</c>, for a broker that applies it with rules of its own added.</summary>
    public static Task<string> DockerAclAsync(CancellationToken cancellationToken = default) =>
        File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "docker", "mosquitto", "acl"), cancellationToken);

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Edge.Actors.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("the repository root (Edge.Actors.sln) was not found above the build output");
    }

    /// <summary>Stops the broker (SIGTERM: it saves its persistent sessions) and starts it again on the same port.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await StopAsync();
        await StartProcessAsync(Binaries.First(File.Exists), cancellationToken);
    }

    private async Task StartProcessAsync(string binary, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(binary) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(_config);
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(Host, Port, cancellationToken);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                await poll.WaitForNextTickAsync(cancellationToken);
            }
        }
    }

    private async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            await ProcessRunner.RunAsync("kill", ["-TERM", $"{process.Id}"], TimeSpan.FromSeconds(10));
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill();
                await process.WaitForExitAsync();
            }
        }

        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _folder.Delete(recursive: true);
    }
}
