using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace Edge.Actors.Mqtt.Bridge;

/// <summary>Who may connect to the embedded broker, and where they may publish and subscribe (MQTT topic filters).</summary>
public sealed record BrokerUser(string Name, string Password, IReadOnlyList<string> MayPublish, IReadOnlyList<string> MaySubscribe)
{
    /// <summary>A device: it may publish its own EdgeX events (v3 and v2 topics) and nothing else, and subscribe to nothing.</summary>
    public static BrokerUser Device(string name, string password) =>
        new(name, password, [$"edgex/events/device/+/+/{name}/+", $"edgex/events/device/+/{name}/+"], []);

    /// <summary>A host agent (user name = host name): it may publish its own heartbeats, in any site, and nothing else.</summary>
    public static BrokerUser Agent(string host, string password) => new(host, password, [$"edge/+/hosts/{host}/heartbeat"], []);
}

/// <summary>
/// The broker of the embedded default (MQTTnet.Server) on a local address: every client authenticates with a user
/// name and password, and each user may publish and subscribe only where its filters allow — the same rules the
/// Mosquitto configuration in <c>docker/mosquitto</c> applies with an ACL file.
/// </summary>
public sealed partial class EmbeddedBroker : IAsyncDisposable
{
    private readonly MqttServer _server;
    private readonly Dictionary<string, BrokerUser> _users;
    private readonly ILogger _logger;

    private EmbeddedBroker(MqttServer server, IEnumerable<BrokerUser> users, ILogger logger)
    {
        _server = server;
        _users = users.ToDictionary(u => u.Name, StringComparer.Ordinal);
        _logger = logger;
        _server.ValidatingConnectionAsync += ValidateAsync;
        _server.InterceptingPublishAsync += InterceptPublishAsync;
        _server.InterceptingSubscriptionAsync += InterceptSubscriptionAsync;
    }

    public static async Task<EmbeddedBroker> StartAsync(IPAddress address, int port, IEnumerable<BrokerUser> users, ILogger logger)
    {
        var options = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(address)
            .WithDefaultEndpointPort(port)
            .WithPersistentSessions()
            .WithMaxPendingMessagesPerClient(100_000)
            .Build();
        var broker = new EmbeddedBroker(new MqttServerFactory().CreateMqttServer(options), users, logger);
        await broker._server.StartAsync();
        LogStarted(logger, address, port);
        return broker;
    }

    private Task ValidateAsync(ValidatingConnectionEventArgs e)
    {
        if (e.UserName is null || !_users.TryGetValue(e.UserName, out var user)
            || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(user.Password), Encoding.UTF8.GetBytes(e.Password ?? string.Empty)))
        {
            e.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
            LogRefused(_logger, e.ClientId, e.UserName ?? "(none)");
        }
        else if (string.IsNullOrEmpty(e.ClientId))
        {
            // A client that leaves the identifier to the broker (allowed for a clean session) gets one.
            e.AssignedClientIdentifier = $"{user.Name}-{Guid.NewGuid():N}";
        }

        return Task.CompletedTask;
    }

    private Task InterceptPublishAsync(InterceptingPublishEventArgs e)
    {
        // Messages the server injects itself carry no user.
        if (e.UserName is null && string.IsNullOrEmpty(e.ClientId))
        {
            return Task.CompletedTask;
        }

        if (e.UserName is null || !_users.TryGetValue(e.UserName, out var user) || !Matches(user.MayPublish, e.ApplicationMessage.Topic))
        {
            e.ProcessPublish = false;
            e.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
            LogPublishRefused(_logger, e.UserName ?? "(none)", e.ApplicationMessage.Topic);
        }

        return Task.CompletedTask;
    }

    private Task InterceptSubscriptionAsync(InterceptingSubscriptionEventArgs e)
    {
        if (e.UserName is null || !_users.TryGetValue(e.UserName, out var user) || !Matches(user.MaySubscribe, e.TopicFilter.Topic))
        {
            e.ProcessSubscription = false;
            e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
        }

        return Task.CompletedTask;
    }

    /// <summary>Whether <paramref name="topic"/> (which may itself be a filter, for subscriptions) lies within one of <paramref name="filters"/>.</summary>
    private static bool Matches(IReadOnlyList<string> filters, string topic) =>
        filters.Any(f => f == "#" || MqttTopicFilterComparer.Compare(topic, f) == MqttTopicFilterCompareResult.IsMatch);

    public async ValueTask DisposeAsync()
    {
        await _server.StopAsync();
        _server.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "embedded MQTT broker listening on {Address}:{Port}")]
    private static partial void LogStarted(ILogger logger, IPAddress address, int port);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT client {ClientId} refused: bad user name or password for {User}")]
    private static partial void LogRefused(ILogger logger, string clientId, string user);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT publish by {User} to {Topic} refused: not its topic")]
    private static partial void LogPublishRefused(ILogger logger, string user, string topic);
}
