using Edge.Actors.Gateway.Protos;
using Grpc.Core;
using Grpc.Net.Client;

namespace Edge.Actors.FaultBench;

/// <summary>The silo's gRPC gateway through edgectl's client types, every call with the admin bearer token.</summary>
internal sealed class GatewayClient : IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly Metadata _auth;
    private readonly HostService.HostServiceClient _hosts;
    private readonly InstanceService.InstanceServiceClient _instances;
    private readonly AlarmService.AlarmServiceClient _alarms;
    private readonly HostAgentService.HostAgentServiceClient _agents;
    private readonly SiteService.SiteServiceClient _sites;

    public GatewayClient(string endpoint, string token)
    {
        _channel = GrpcChannel.ForAddress(endpoint);
        _auth = new Metadata { { "authorization", $"Bearer {token}" } };
        _hosts = new HostService.HostServiceClient(_channel);
        _instances = new InstanceService.InstanceServiceClient(_channel);
        _alarms = new AlarmService.AlarmServiceClient(_channel);
        _agents = new HostAgentService.HostAgentServiceClient(_channel);
        _sites = new SiteService.SiteServiceClient(_channel);
    }

    public Task<Site> CreateSiteAsync(string site, string description, CancellationToken cancellationToken) =>
        _sites.CreateSiteAsync(new CreateSiteRequest { RequestId = $"create-{site}", SiteId = site, Description = description, Location = "loopback" }, _auth, cancellationToken: cancellationToken).ResponseAsync;

    public Task<Site> GetSiteAsync(string site, CancellationToken cancellationToken) =>
        _sites.GetSiteAsync(new GetSiteRequest { SiteId = site }, _auth, cancellationToken: cancellationToken).ResponseAsync;

    public Task<Host> GetHostAsync(string site, string name, CancellationToken cancellationToken) =>
        _hosts.GetHostAsync(new GetHostRequest { SiteId = site, Name = name }, _auth, cancellationToken: cancellationToken).ResponseAsync;

    /// <summary>Every host of the site (one page holds them all: the benchmark's site has far fewer than the gateway's maximum page).</summary>
    public async Task<IReadOnlyList<Host>> ListHostsAsync(string site, CancellationToken cancellationToken)
    {
        var reply = await _hosts.ListHostsAsync(new ListHostsRequest { SiteId = site, Page = new Page { PageSize = 1000 } }, _auth, cancellationToken: cancellationToken);
        if (!string.IsNullOrEmpty(reply.NextPageToken))
        {
            throw new InvalidOperationException($"site {site} has more than 1000 hosts; the benchmark lists one page");
        }

        return reply.Hosts;
    }

    public Task<Instance> CreateInstanceAsync(string site, string name, Flavor flavor, string image, CancellationToken cancellationToken) =>
        _instances.CreateInstanceAsync(
            new CreateInstanceRequest { RequestId = $"create-{site}-{name}", SiteId = site, Name = name, Flavor = flavor, Image = image }, _auth, cancellationToken: cancellationToken).ResponseAsync;

    public Task<Instance> GetInstanceAsync(string site, string name, CancellationToken cancellationToken) =>
        _instances.GetInstanceAsync(new GetInstanceRequest { SiteId = site, Name = name }, _auth, cancellationToken: cancellationToken).ResponseAsync;

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

    public Task<PulseStatus> GetPulseStatusAsync(string site, CancellationToken cancellationToken) =>
        _agents.GetPulseStatusAsync(new GetPulseStatusRequest { SiteId = site }, _auth, cancellationToken: cancellationToken).ResponseAsync;

    public void Dispose() => _channel.Dispose();
}
