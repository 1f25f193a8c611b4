using Edge.Actors.Gateway.Protos;
using Edge.Actors.Gateway.Security;
using Grpc.Core;
using Grpc.Net.Client;

namespace Edge.Actors.Gateway.Tests;

/// <summary>One call per API method, with the role it needs and the site it touches, for the role matrix.</summary>
public sealed record ApiCall(string Method, EdgeRole Needs, Func<GrpcChannel, Metadata, string, Task> Invoke)
{
    public override string ToString() => Method;

    private static string Id() => Guid.NewGuid().ToString("N");

    /// <summary>Every method, aimed at <c>site</c> (which exists) and names that may or may not exist: only the status class matters.</summary>
    public static IReadOnlyList<ApiCall> All { get; } =
    [
        new("SiteService.GetSite", EdgeRole.Reader, (c, h, s) => new SiteService.SiteServiceClient(c).GetSiteAsync(new GetSiteRequest { SiteId = s }, h).ResponseAsync),
        new("SiteService.ListSites", EdgeRole.Reader, (c, h, s) => new SiteService.SiteServiceClient(c).ListSitesAsync(new ListSitesRequest(), h).ResponseAsync),
        new("SiteService.CreateSite", EdgeRole.Admin, (c, h, s) => new SiteService.SiteServiceClient(c).CreateSiteAsync(new CreateSiteRequest { RequestId = Id(), SiteId = s }, h).ResponseAsync),
        new("SiteService.ManageSite", EdgeRole.Admin, (c, h, s) => new SiteService.SiteServiceClient(c).ManageSiteAsync(new SiteCommandRequest { RequestId = Id(), SiteId = s }, h).ResponseAsync),
        new("SiteService.UnmanageSite", EdgeRole.Admin, (c, h, s) => new SiteService.SiteServiceClient(c).UnmanageSiteAsync(new SiteCommandRequest { RequestId = Id(), SiteId = s }, h).ResponseAsync),
        new("HostService.GetHost", EdgeRole.Reader, (c, h, s) => new HostService.HostServiceClient(c).GetHostAsync(new GetHostRequest { SiteId = s, Name = "worker-0" }, h).ResponseAsync),
        new("HostService.ListHosts", EdgeRole.Reader, (c, h, s) => new HostService.HostServiceClient(c).ListHostsAsync(new ListHostsRequest { SiteId = s }, h).ResponseAsync),
        new("HostService.AddHost", EdgeRole.Operator, (c, h, s) => new HostService.HostServiceClient(c).AddHostAsync(new AddHostRequest { RequestId = Id(), SiteId = s, Name = $"h-{Id()[..6]}", Personality = HostPersonality.Worker, Vcpus = 4, MemoryMib = 4096, DiskGib = 10 }, h).ResponseAsync),
        new("HostService.LockHost", EdgeRole.Operator, (c, h, s) => new HostService.HostServiceClient(c).LockHostAsync(new HostCommandRequest { RequestId = Id(), SiteId = s, Name = "missing" }, h).ResponseAsync),
        new("HostService.ForceLockHost", EdgeRole.Operator, (c, h, s) => new HostService.HostServiceClient(c).ForceLockHostAsync(new HostCommandRequest { RequestId = Id(), SiteId = s, Name = "missing" }, h).ResponseAsync),
        new("HostService.UnlockHost", EdgeRole.Operator, (c, h, s) => new HostService.HostServiceClient(c).UnlockHostAsync(new HostCommandRequest { RequestId = Id(), SiteId = s, Name = "missing" }, h).ResponseAsync),
        new("HostService.DeleteHost", EdgeRole.Operator, (c, h, s) => new HostService.HostServiceClient(c).DeleteHostAsync(new HostCommandRequest { RequestId = Id(), SiteId = s, Name = "missing" }, h).ResponseAsync),
        new("InstanceService.GetInstance", EdgeRole.Reader, (c, h, s) => new InstanceService.InstanceServiceClient(c).GetInstanceAsync(new GetInstanceRequest { SiteId = s, Name = "missing" }, h).ResponseAsync),
        new("InstanceService.ListInstances", EdgeRole.Reader, (c, h, s) => new InstanceService.InstanceServiceClient(c).ListInstancesAsync(new ListInstancesRequest { SiteId = s }, h).ResponseAsync),
        new("InstanceService.CreateInstance", EdgeRole.Operator, (c, h, s) => new InstanceService.InstanceServiceClient(c).CreateInstanceAsync(new CreateInstanceRequest { RequestId = Id(), SiteId = s, Name = $"vm-{Id()[..6]}", Image = "cirros", Flavor = new Flavor { Name = "t", Vcpus = 1, MemoryMib = 128, DiskGib = 1 } }, h).ResponseAsync),
        new("InstanceService.DeleteInstance", EdgeRole.Operator, (c, h, s) => new InstanceService.InstanceServiceClient(c).DeleteInstanceAsync(new InstanceCommandRequest { RequestId = Id(), SiteId = s, Name = "missing" }, h).ResponseAsync),
        new("InstanceService.StopInstance", EdgeRole.Operator, (c, h, s) => new InstanceService.InstanceServiceClient(c).StopInstanceAsync(new InstanceCommandRequest { RequestId = Id(), SiteId = s, Name = "missing" }, h).ResponseAsync),
        new("InstanceService.StartInstance", EdgeRole.Operator, (c, h, s) => new InstanceService.InstanceServiceClient(c).StartInstanceAsync(new InstanceCommandRequest { RequestId = Id(), SiteId = s, Name = "missing" }, h).ResponseAsync),
        new("InstanceService.MigrateInstance", EdgeRole.Operator, (c, h, s) => new InstanceService.InstanceServiceClient(c).MigrateInstanceAsync(new MigrateInstanceRequest { RequestId = Id(), SiteId = s, Name = "missing" }, h).ResponseAsync),
        new("PodService.GetPod", EdgeRole.Reader, (c, h, s) => new PodService.PodServiceClient(c).GetPodAsync(new GetPodRequest { SiteId = s, Namespace = "ns", Name = "missing" }, h).ResponseAsync),
        new("PodService.ListPods", EdgeRole.Reader, (c, h, s) => new PodService.PodServiceClient(c).ListPodsAsync(new ListPodsRequest { SiteId = s }, h).ResponseAsync),
        new("PodService.CreatePod", EdgeRole.Operator, (c, h, s) => new PodService.PodServiceClient(c).CreatePodAsync(new CreatePodRequest { RequestId = Id(), SiteId = s, Namespace = "ns", Name = $"p-{Id()[..6]}", MilliCpu = 10, MemoryMib = 16 }, h).ResponseAsync),
        new("PodService.DeletePod", EdgeRole.Operator, (c, h, s) => new PodService.PodServiceClient(c).DeletePodAsync(new PodCommandRequest { RequestId = Id(), SiteId = s, Namespace = "ns", Name = "missing" }, h).ResponseAsync),
        new("StorageService.GetPool", EdgeRole.Reader, (c, h, s) => new StorageService.StorageServiceClient(c).GetPoolAsync(new GetPoolRequest { SiteId = s, Name = "missing" }, h).ResponseAsync),
        new("StorageService.ListPools", EdgeRole.Reader, (c, h, s) => new StorageService.StorageServiceClient(c).ListPoolsAsync(new ListPoolsRequest { SiteId = s }, h).ResponseAsync),
        new("StorageService.CreatePool", EdgeRole.Admin, (c, h, s) => new StorageService.StorageServiceClient(c).CreatePoolAsync(new CreatePoolRequest { RequestId = Id(), SiteId = s, Name = $"pool-{Id()[..6]}", Size = 1 }, h).ResponseAsync),
        new("StorageService.AddOsd", EdgeRole.Admin, (c, h, s) => new StorageService.StorageServiceClient(c).AddOsdAsync(new AddOsdRequest { RequestId = Id(), SiteId = s, Name = "missing", Host = "missing", CapacityGib = 1 }, h).ResponseAsync),
        new("StorageService.CreateVolume", EdgeRole.Admin, (c, h, s) => new StorageService.StorageServiceClient(c).CreateVolumeAsync(new CreateVolumeRequest { RequestId = Id(), SiteId = s, Name = "missing", Volume = "v", SizeGib = 1 }, h).ResponseAsync),
        new("StorageService.DeleteVolume", EdgeRole.Admin, (c, h, s) => new StorageService.StorageServiceClient(c).DeleteVolumeAsync(new VolumeCommandRequest { RequestId = Id(), SiteId = s, Name = "missing", Volume = "v" }, h).ResponseAsync),
        new("StorageService.AttachVolume", EdgeRole.Operator, (c, h, s) => new StorageService.StorageServiceClient(c).AttachVolumeAsync(new AttachVolumeRequest { RequestId = Id(), SiteId = s, Name = "missing", Volume = "v", Instance = "vm" }, h).ResponseAsync),
        new("StorageService.DetachVolume", EdgeRole.Operator, (c, h, s) => new StorageService.StorageServiceClient(c).DetachVolumeAsync(new VolumeCommandRequest { RequestId = Id(), SiteId = s, Name = "missing", Volume = "v" }, h).ResponseAsync),
        new("DeviceService.GetDevice", EdgeRole.Reader, (c, h, s) => new DeviceService.DeviceServiceClient(c).GetDeviceAsync(new GetDeviceRequest { SiteId = s, Name = "missing" }, h).ResponseAsync),
        new("DeviceService.ListDevices", EdgeRole.Reader, (c, h, s) => new DeviceService.DeviceServiceClient(c).ListDevicesAsync(new ListDevicesRequest { SiteId = s }, h).ResponseAsync),
        new("DeviceService.ProvisionDevice", EdgeRole.Operator, (c, h, s) => new DeviceService.DeviceServiceClient(c).ProvisionDeviceAsync(new ProvisionDeviceRequest { RequestId = Id(), SiteId = s, Name = $"d-{Id()[..6]}", Service = "device-virtual", Profile = "thermo" }, h).ResponseAsync),
        new("DeviceService.UpdateDeviceRules", EdgeRole.Operator, (c, h, s) => new DeviceService.DeviceServiceClient(c).UpdateDeviceRulesAsync(new UpdateDeviceRulesRequest { RequestId = Id(), SiteId = s, Name = "missing" }, h).ResponseAsync),
        new("DeviceService.DeleteDevice", EdgeRole.Operator, (c, h, s) => new DeviceService.DeviceServiceClient(c).DeleteDeviceAsync(new DeviceCommandRequest { RequestId = Id(), SiteId = s, Name = "missing" }, h).ResponseAsync),
        new("AlarmService.ListAlarms", EdgeRole.Reader, (c, h, s) => new AlarmService.AlarmServiceClient(c).ListAlarmsAsync(new ListAlarmsRequest { SiteId = s }, h).ResponseAsync),
        new("AlarmService.GetAlarm", EdgeRole.Reader, (c, h, s) => new AlarmService.AlarmServiceClient(c).GetAlarmAsync(new GetAlarmRequest { SiteId = s, AlarmId = "200.004", EntityInstanceId = "host=missing" }, h).ResponseAsync),
        new("AlarmService.RaiseAlarm", EdgeRole.Operator, (c, h, s) => new AlarmService.AlarmServiceClient(c).RaiseAlarmAsync(new RaiseAlarmRequest { SiteId = s, AlarmId = "200.004", EntityInstanceId = $"host={Id()[..6]}", Severity = AlarmSeverity.Major, Reason = "matrix" }, h).ResponseAsync),
        new("AlarmService.ClearAlarm", EdgeRole.Operator, (c, h, s) => new AlarmService.AlarmServiceClient(c).ClearAlarmAsync(new ClearAlarmRequest { SiteId = s, AlarmId = "200.004", EntityInstanceId = "host=missing" }, h).ResponseAsync),
        new("AlarmService.ListEventLog", EdgeRole.Reader, (c, h, s) => new AlarmService.AlarmServiceClient(c).ListEventLogAsync(new ListEventLogRequest { SiteId = s }, h).ResponseAsync),
        new("AlarmService.SuppressAlarm", EdgeRole.Operator, (c, h, s) => new AlarmService.AlarmServiceClient(c).SuppressAlarmAsync(new SuppressionRequest { SiteId = s, AlarmId = "999.999" }, h).ResponseAsync),
        new("AlarmService.UnsuppressAlarm", EdgeRole.Operator, (c, h, s) => new AlarmService.AlarmServiceClient(c).UnsuppressAlarmAsync(new SuppressionRequest { SiteId = s, AlarmId = "999.999" }, h).ResponseAsync),
        new("AlarmService.GetAlarmSummary", EdgeRole.Reader, (c, h, s) => new AlarmService.AlarmServiceClient(c).GetAlarmSummaryAsync(new GetAlarmSummaryRequest { SiteId = s }, h).ResponseAsync),
        new("EventService.Watch", EdgeRole.Reader, async (c, h, s) =>
        {
            using var watch = new EventService.EventServiceClient(c).Watch(new WatchRequest { Sites = { s } }, h, deadline: DateTime.UtcNow.AddMilliseconds(300));
            try
            {
                while (await watch.ResponseStream.MoveNext(CancellationToken.None))
                {
                }
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.DeadlineExceeded)
            {
                // Allowed to watch: the stream stays open until the deadline.
            }
        }),
        new("HostAgentService.GetPulseSettings", EdgeRole.Reader, (c, h, s) => new HostAgentService.HostAgentServiceClient(c).GetPulseSettingsAsync(new GetPulseSettingsRequest { SiteId = s }, h).ResponseAsync),
        new("HostAgentService.GetPulseStatus", EdgeRole.Reader, (c, h, s) => new HostAgentService.HostAgentServiceClient(c).GetPulseStatusAsync(new GetPulseStatusRequest { SiteId = s }, h).ResponseAsync),
        new("HostAgentService.StreamPulses", EdgeRole.Operator, async (c, h, s) =>
        {
            using var stream = new HostAgentService.HostAgentServiceClient(c).StreamPulses(h);
            try
            {
                await stream.RequestStream.WriteAsync(new Pulse { SiteId = s, Host = "worker-missing", Sequence = 1 });
                await stream.RequestStream.CompleteAsync();
            }
            catch (Exception ex) when (ex is RpcException or InvalidOperationException)
            {
                // The server may end the call on the first pulse; its status is in the response.
            }

            await stream.ResponseAsync;
        }),
        new("TokenService.CreateToken", EdgeRole.Admin, (c, h, s) => new TokenService.TokenServiceClient(c).CreateTokenAsync(new CreateTokenRequest { Role = "reader", Sites = { s } }, h).ResponseAsync),
    ];
}
