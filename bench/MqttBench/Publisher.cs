using System.Globalization;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;

namespace Edge.Actors.MqttBench;

/// <summary>
/// One device's own MQTT client (user = device name) publishing EdgeX 3 events at QoS 1, one at a time (each waits for
/// the broker's PUBACK), so its events reach the broker in order; the value of each reading is the device's sequence number.
/// </summary>
internal sealed class Publisher(string device, string host, int port, string password) : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly string _topic = $"edgex/events/device/modbus/thermo/{device}/temperature";

    public string Device => device;

    /// <summary>The last sequence number published (and acknowledged by the broker).</summary>
    public long Sequence { get; private set; }

    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer(host, port)
            .WithClientId($"{device}-pub")
            .WithCredentials(device, password)
            .WithCleanStart(true)
            .Build();
        var connected = await _client.ConnectAsync(options, cancellationToken);
        if (connected.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new InvalidOperationException($"{device}: the broker refused the connection: {connected.ResultCode}");
        }
    }

    /// <summary>Publishes the next sequence number as fast as PUBACKs come back until <paramref name="until"/> is cancelled; returns how many.</summary>
    public async Task<long> RunAsync(CancellationToken until)
    {
        long published = 0;
        while (!until.IsCancellationRequested)
        {
            await PublishAsync((Sequence + 1).ToString(CultureInfo.InvariantCulture), CancellationToken.None);
            Sequence++;
            published++;
        }

        return published;
    }

    /// <summary>Publishes one event carrying <paramref name="value"/>.</summary>
    public async Task PublishAsync(string value, CancellationToken cancellationToken)
    {
        var origin = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;
        var payload = JsonSerializer.SerializeToUtf8Bytes(new
        {
            apiVersion = "v3",
            deviceName = device,
            profileName = "thermo",
            sourceName = "temperature",
            id = $"{Guid.NewGuid()}",
            origin,
            readings = new[] { new { id = $"{Guid.NewGuid()}", resourceName = "temperature", valueType = "Float64", value, deviceName = device, profileName = "thermo", origin } },
        });
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(_topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        var result = await _client.PublishAsync(message, cancellationToken);
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"{device}: the broker refused a publish: {result.ReasonCode} {result.ReasonString}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync();
        }

        _client.Dispose();
    }
}
