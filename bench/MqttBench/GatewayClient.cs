using Edge.Actors.Gateway.Protos;
using Grpc.Core;
using Grpc.Net.Client;

namespace Edge.Actors.MqttBench;

/// <summary>The silo's gRPC gateway through edgectl's client types, every call with the admin bearer token.</summary>
internal sealed class GatewayClient : IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly Metadata _auth;
    private readonly SiteService.SiteServiceClient _sites;
    private readonly DeviceService.DeviceServiceClient _devices;
    private readonly AlarmService.AlarmServiceClient _alarms;

    public GatewayClient(string endpoint, string token)
    {
        _channel = GrpcChannel.ForAddress(endpoint);
        _auth = new Metadata { { "authorization", $"Bearer {token}" } };
        _sites = new SiteService.SiteServiceClient(_channel);
        _devices = new DeviceService.DeviceServiceClient(_channel);
        _alarms = new AlarmService.AlarmServiceClient(_channel);
    }

    public Task<Site> CreateSiteAsync(string site, CancellationToken cancellationToken) =>
        _sites.CreateSiteAsync(new CreateSiteRequest { RequestId = $"create-{site}", SiteId = site, Description = "mqtt bench", Location = "loopback" }, _auth, cancellationToken: cancellationToken).ResponseAsync;

    public Task<Device> ProvisionDeviceAsync(string site, string name, ThresholdRule rule, CancellationToken cancellationToken)
    {
        var request = new ProvisionDeviceRequest { RequestId = $"provision-{site}-{name}", SiteId = site, Name = name, Service = "modbus", Profile = "thermo" };
        request.Rules.Add(rule);
        return _devices.ProvisionDeviceAsync(request, _auth, cancellationToken: cancellationToken).ResponseAsync;
    }

    public Task<Device> GetDeviceAsync(string site, string name, CancellationToken cancellationToken) =>
        _devices.GetDeviceAsync(new GetDeviceRequest { SiteId = site, Name = name }, _auth, cancellationToken: cancellationToken).ResponseAsync;

    /// <summary>The active alarm, or null when GetAlarm answers NOT_FOUND (no such alarm is active).</summary>
    public async Task<Alarm?> FindAlarmAsync(string site, string alarmId, string entity, CancellationToken cancellationToken)
    {
        try
        {
            return await _alarms.GetAlarmAsync(new GetAlarmRequest { SiteId = site, AlarmId = alarmId, EntityInstanceId = entity }, _auth, cancellationToken: cancellationToken);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
    }

    public void Dispose() => _channel.Dispose();
}
