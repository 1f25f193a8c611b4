using System.Collections.Concurrent;
using System.Diagnostics;

namespace Edge.Actors.TestSupport;

/// <summary>Mosquitto's own command-line clients as a device or a monitoring system runs them: independent of the product's MQTT library.</summary>
public static class MosquittoClients
{
    /// <summary>
    /// One QoS 1 message with <c>mosquitto_pub</c> over MQTT 5, under a fresh client id. Throws when the client fails,
    /// which includes a broker refusing the login (and, for some brokers, refusing the publish in its PUBACK).
    /// </summary>
    public static Task<string> PublishAsync(int port, string user, string password, string topic, string payload, CancellationToken cancellationToken = default) =>
        ProcessRunner.RunAsync("mosquitto_pub", [.. PublishArguments(port, user, password, topic), "-m", payload], TimeSpan.FromSeconds(30), cancellationToken);

    /// <summary>
    /// <c>mosquitto_pub</c>'s arguments for QoS 1 over MQTT 5 to <paramref name="topic"/> as <paramref name="user"/>, under
    /// a fresh client id; the caller adds what to send (<c>-m</c> one message, <c>-l</c> one per line of its input).
    /// </summary>
    public static string[] PublishArguments(int port, string user, string password, string topic) =>
        ["-h", MosquittoServer.Host, "-p", $"{port}", "-V", "mqttv5", "-q", "1", "-i", ClientId(user), "-u", user, "-P", password, "-t", topic];

    /// <summary>A client id unique to this call, recognisably the user's (MQTT 3.1.1 brokers may refuse ids over 23 characters).</summary>
    public static string ClientId(string user) => $"{user}-{Guid.NewGuid():N}"[..23];
}

/// <summary>
/// A <c>mosquitto_sub</c> subscription kept open while a test acts, collecting every message (topic and payload) it
/// receives; started only once the broker has acknowledged the subscription, so nothing published afterwards is missed.
/// </summary>
public sealed class MosquittoSubscriber : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<(string Topic, string Payload)> _messages = new();
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private MosquittoSubscriber(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Capture(e.Data);
        _process.ErrorDataReceived += (_, e) => Capture(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The messages so far, in the order they arrived; a retained message's removal (empty payload) is not one.</summary>
    public IReadOnlyList<(string Topic, string Payload)> Messages => [.. _messages];

    /// <summary>Subscribes to <paramref name="filter"/> at QoS 1 as <paramref name="user"/> and waits for the broker's SUBACK.</summary>
    public static async Task<MosquittoSubscriber> StartAsync(int port, string user, string password, string filter)
    {
        // Line-buffered (stdbuf): piped, the client would hold its output back until it exits. With -d it reports its
        // SUBACK; -v puts the topic before each payload.
        var start = new ProcessStartInfo("stdbuf")
        {
            ArgumentList = { "-oL", "mosquitto_sub", "-h", MosquittoServer.Host, "-p", $"{port}", "-V", "mqttv5", "-i", MosquittoClients.ClientId(user), "-u", user, "-P", password, "-q", "1", "-t", filter, "-v", "-d" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var subscriber = new MosquittoSubscriber(Process.Start(start)!);
        try
        {
            await subscriber._subscribed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            await subscriber.DisposeAsync();
            throw new TimeoutException($"mosquitto_sub -t {filter} as {user} was not subscribed within 30 s; output:\n{string.Join('\n', subscriber._output)}");
        }

        return subscriber;
    }

    private void Capture(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        if (line.Contains("received SUBACK", StringComparison.Ordinal))
        {
            _subscribed.TrySetResult();
        }
        else if (!line.StartsWith("Client ", StringComparison.Ordinal) && !line.StartsWith("Subscribed (mid", StringComparison.Ordinal)
            && line.IndexOf(' ', StringComparison.Ordinal) is > 0 and var space)
        {
            _messages.Enqueue((line[..space], line[(space + 1)..]));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
