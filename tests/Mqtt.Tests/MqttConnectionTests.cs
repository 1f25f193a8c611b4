using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Edge.Actors.Mqtt.Bridge;
using Edge.Actors.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Edge.Actors.Mqtt.Tests;

/// <summary>The bridge's connection against a real Mosquitto: QoS 1 with a persistent session, across a broker restart.</summary>
public sealed class MqttConnectionTests
{
    private static readonly Dictionary<string, string> Users = new() { ["bridge"] = "bridge-secret", ["device"] = "device-secret" };

    private const string Acl = """
        user bridge
        topic readwrite #

        user device
        topic write sensors/#
        """;

    /// <summary>Publishes each line of <paramref name="lines"/> as one QoS 1 message with Mosquitto's own client.</summary>
    private static Task PublishAsync(MosquittoServer broker, string topic, IEnumerable<string> lines)
    {
        var input = Path.GetTempFileName();
        File.WriteAllLines(input, lines);
        return Task.Run(async () =>
        {
            try
            {
                await ProcessRunner.RunAsync("sh", ["-c", $"mosquitto_pub -h {MosquittoServer.Host} -p {broker.Port} -u device -P device-secret -q 1 -t {topic} -l < {input}"], TimeSpan.FromSeconds(60));
            }
            finally
            {
                File.Delete(input);
            }
        });
    }

    [Fact]
    public async Task QoS1Stream_AcrossABrokerRestart_LosesNoMessage()
    {
        await using var broker = await MosquittoServer.StartAsync(Users, Acl);
        var seen = new ConcurrentDictionary<int, int>();
        var restarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var connection = new MqttConnection(
            new MqttEndpoint(MosquittoServer.Host, broker.Port, $"bridge-{Guid.NewGuid():N}", "bridge", "bridge-secret"),
            ["sensors/#"],
            async (_, payload, cancellationToken) =>
            {
                var number = int.Parse(Encoding.UTF8.GetString(payload), CultureInfo.InvariantCulture);
                // Held from the 51st message until the broker has restarted: the rest of the stream is still queued
                // (and one message unacknowledged) when the broker goes down.
                if (number > 50)
                {
                    await restarted.Task.WaitAsync(cancellationToken);
                }

                seen.AddOrUpdate(number, 1, (_, n) => n + 1);
            },
            NullLogger.Instance);
        await connection.StartAsync();
        await Eventually.MatchAsync(() => Task.FromResult(connection.IsConnected), c => c, TimeSpan.FromSeconds(30), "the bridge connected");

        await PublishAsync(broker, "sensors/numbered", Enumerable.Range(1, 300).Select(i => $"{i}"));
        await Eventually.MatchAsync(() => Task.FromResult(seen.Count), n => n == 50, TimeSpan.FromSeconds(30), "the first 50 messages handled");
        await broker.RestartAsync();
        restarted.SetResult();
        await PublishAsync(broker, "sensors/numbered", Enumerable.Range(301, 300).Select(i => $"{i}"));

        await Eventually.MatchAsync(() => Task.FromResult(seen.Count), n => n == 600, TimeSpan.FromSeconds(60), "all 600 numbered messages");
        Assert.Equal(Enumerable.Range(1, 600), seen.Keys.Order());
    }

    [Fact]
    public async Task QoS1Stream_WhileTheBridgeIsDown_IsDeliveredWhenItComesBack_UnderTheSameSession()
    {
        await using var broker = await MosquittoServer.StartAsync(Users, Acl);
        var clientId = $"bridge-{Guid.NewGuid():N}";
        var seen = new ConcurrentDictionary<int, int>();
        MqttConnection Connect() => new(
            new MqttEndpoint(MosquittoServer.Host, broker.Port, clientId, "bridge", "bridge-secret"),
            ["sensors/#"],
            (_, payload, _) =>
            {
                seen.AddOrUpdate(int.Parse(Encoding.UTF8.GetString(payload), CultureInfo.InvariantCulture), 1, (_, n) => n + 1);
                return Task.CompletedTask;
            },
            NullLogger.Instance);

        await using (var first = Connect())
        {
            await first.StartAsync();
            await Eventually.MatchAsync(() => Task.FromResult(first.IsConnected), c => c, TimeSpan.FromSeconds(30), "the bridge connected");
            await PublishAsync(broker, "sensors/numbered", Enumerable.Range(1, 100).Select(i => $"{i}"));
            await Eventually.MatchAsync(() => Task.FromResult(seen.Count), n => n == 100, TimeSpan.FromSeconds(30), "the first 100 messages");
        }

        // The bridge's process is gone: the broker keeps its session and queues what arrives.
        await PublishAsync(broker, "sensors/numbered", Enumerable.Range(101, 200).Select(i => $"{i}"));
        await using var second = Connect();
        await second.StartAsync();

        await Eventually.MatchAsync(() => Task.FromResult(seen.Count), n => n == 300, TimeSpan.FromSeconds(30), "the 200 published while it was down");
        Assert.Equal(Enumerable.Range(1, 300), seen.Keys.Order());
    }

    [Fact]
    public async Task Connection_WithWrongCredentials_IsRefusedAndKeepsRetrying()
    {
        await using var broker = await MosquittoServer.StartAsync(Users, Acl);
        await using var connection = new MqttConnection(
            new MqttEndpoint(MosquittoServer.Host, broker.Port, "intruder", "bridge", "wrong"),
            ["sensors/#"],
            (_, _, _) => Task.CompletedTask,
            NullLogger.Instance);

        await connection.StartAsync();
        var refused = await Assert.ThrowsAsync<TimeoutException>(() => Eventually.MatchAsync(() => Task.FromResult(connection.IsConnected), c => c, TimeSpan.FromSeconds(2), "a connection with a wrong password"));

        Assert.Contains("wrong password", refused.Message, StringComparison.Ordinal);
    }
}
