using Edge.Actors.Gateway.Protos;
using Grpc.Core;

namespace Edge.Actors.Gateway.Tests;

/// <summary>Every command's happy path, over a real gRPC channel with an admin token.</summary>
[Collection(GatewayGroup.Name)]
public sealed class ApiFlowTests(GatewayFixture fixture)
{
    private static string Id() => Guid.NewGuid().ToString("N");

    [Fact]
    public async Task Commands_OverTheWholeApi_DoWhatTheySay()
    {
        var headers = fixture.Admin;
        var sites = new SiteService.SiteServiceClient(fixture.Channel);
        var hosts = new HostService.HostServiceClient(fixture.Channel);
        var vms = new InstanceService.InstanceServiceClient(fixture.Channel);
        var pods = new PodService.PodServiceClient(fixture.Channel);
        var storage = new StorageService.StorageServiceClient(fixture.Channel);
        var site = $"flow-{Id()[..8]}";

        var created = await sites.CreateSiteAsync(new CreateSiteRequest { RequestId = Id(), SiteId = site, Description = "plant", Location = "Lyon" }, headers);
        Assert.Equal(SiteManagement.Unmanaged, created.Management);
        Assert.Equal(SiteManagement.Managed, (await sites.ManageSiteAsync(new SiteCommandRequest { RequestId = Id(), SiteId = site }, headers)).Management);
        Assert.Equal(SiteManagement.Unmanaged, (await sites.UnmanageSiteAsync(new SiteCommandRequest { RequestId = Id(), SiteId = site }, headers)).Management);
        Assert.Contains((await sites.ListSitesAsync(new ListSitesRequest(), headers)).Sites, s => s.SiteId == site);
        Assert.Equal("Lyon", (await sites.GetSiteAsync(new GetSiteRequest { SiteId = site }, headers)).Location);

        foreach (var (name, personality) in new[] { ("worker-0", HostPersonality.Worker), ("worker-1", HostPersonality.Worker), ("storage-0", HostPersonality.Storage) })
        {
            var added = await hosts.AddHostAsync(new AddHostRequest { RequestId = Id(), SiteId = site, Name = name, Personality = personality, Vcpus = 8, MemoryMib = 16384, DiskGib = 500 }, headers);
            Assert.Equal(AdministrativeState.Locked, added.Administrative);
            var unlocked = await hosts.UnlockHostAsync(new HostCommandRequest { RequestId = Id(), SiteId = site, Name = name }, headers);
            Assert.Equal((AdministrativeState.Unlocked, Availability.Available), (unlocked.Administrative, unlocked.Availability));
        }

        Assert.Equal(3, (await hosts.ListHostsAsync(new ListHostsRequest { SiteId = site }, headers)).Hosts.Count);
        Assert.Single((await hosts.ListHostsAsync(new ListHostsRequest { SiteId = site, Personality = HostPersonality.Storage }, headers)).Hosts);

        var vm = await vms.CreateInstanceAsync(new CreateInstanceRequest { RequestId = Id(), SiteId = site, Name = "vm-1", Image = "cirros", Flavor = new Flavor { Name = "m1.small", Vcpus = 2, MemoryMib = 2048, DiskGib = 20 } }, headers);
        Assert.Equal(InstanceState.Active, vm.State);
        Assert.Equal(InstanceState.Stopped, (await vms.StopInstanceAsync(new InstanceCommandRequest { RequestId = Id(), SiteId = site, Name = "vm-1" }, headers)).State);
        Assert.Equal(InstanceState.Active, (await vms.StartInstanceAsync(new InstanceCommandRequest { RequestId = Id(), SiteId = site, Name = "vm-1" }, headers)).State);
        var migrated = await vms.MigrateInstanceAsync(new MigrateInstanceRequest { RequestId = Id(), SiteId = site, Name = "vm-1" }, headers);
        Assert.NotEqual(vm.Host, migrated.Host);
        Assert.Single((await vms.ListInstancesAsync(new ListInstancesRequest { SiteId = site, Host = migrated.Host }, headers)).Instances);

        var pod = await pods.CreatePodAsync(new CreatePodRequest { RequestId = Id(), SiteId = site, Namespace = "apps", Name = "web-1", MilliCpu = 250, MemoryMib = 128, Owner = "web" }, headers);
        Assert.Equal(PodPhase.Running, pod.Phase);
        Assert.Equal(pod, await pods.GetPodAsync(new GetPodRequest { SiteId = site, Namespace = "apps", Name = "web-1" }, headers));
        Assert.Single((await pods.ListPodsAsync(new ListPodsRequest { SiteId = site, Namespace = "apps" }, headers)).Pods);

        var locked = await hosts.LockHostAsync(new HostCommandRequest { RequestId = Id(), SiteId = site, Name = migrated.Host }, headers);
        Assert.Empty(locked.Workloads);
        Assert.NotEqual(migrated.Host, (await vms.GetInstanceAsync(new GetInstanceRequest { SiteId = site, Name = "vm-1" }, headers)).Host);
        var forced = await hosts.ForceLockHostAsync(new HostCommandRequest { RequestId = Id(), SiteId = site, Name = "storage-0" }, headers);
        Assert.Equal(AdministrativeState.Locked, forced.Administrative);
        var deleted = await hosts.DeleteHostAsync(new HostCommandRequest { RequestId = Id(), SiteId = site, Name = migrated.Host }, headers);
        Assert.Equal(2, (await hosts.ListHostsAsync(new ListHostsRequest { SiteId = site }, headers)).Hosts.Count);
        Assert.Equal(migrated.Host, deleted.Name);
        await hosts.UnlockHostAsync(new HostCommandRequest { RequestId = Id(), SiteId = site, Name = "storage-0" }, headers);

        var pool = await storage.CreatePoolAsync(new CreatePoolRequest { RequestId = Id(), SiteId = site, Name = "rbd", Size = 1 }, headers);
        Assert.Equal(1, pool.MinSize);
        pool = await storage.AddOsdAsync(new AddOsdRequest { RequestId = Id(), SiteId = site, Name = "rbd", Host = "storage-0", CapacityGib = 100 }, headers);
        Assert.Equal(PoolHealth.Ok, pool.Health);
        pool = await storage.CreateVolumeAsync(new CreateVolumeRequest { RequestId = Id(), SiteId = site, Name = "rbd", Volume = "data", SizeGib = 10 }, headers);
        pool = await storage.AttachVolumeAsync(new AttachVolumeRequest { RequestId = Id(), SiteId = site, Name = "rbd", Volume = "data", Instance = "vm-1" }, headers);
        Assert.Equal("vm-1", pool.Volumes.Single().AttachedTo);
        await storage.DetachVolumeAsync(new VolumeCommandRequest { RequestId = Id(), SiteId = site, Name = "rbd", Volume = "data" }, headers);
        Assert.Empty((await storage.DeleteVolumeAsync(new VolumeCommandRequest { RequestId = Id(), SiteId = site, Name = "rbd", Volume = "data" }, headers)).Volumes);
        Assert.Single((await storage.ListPoolsAsync(new ListPoolsRequest { SiteId = site }, headers)).Pools);
        Assert.Equal(pool.Name, (await storage.GetPoolAsync(new GetPoolRequest { SiteId = site, Name = "rbd" }, headers)).Name);

        await pods.DeletePodAsync(new PodCommandRequest { RequestId = Id(), SiteId = site, Namespace = "apps", Name = "web-1" }, headers);
        await vms.DeleteInstanceAsync(new InstanceCommandRequest { RequestId = Id(), SiteId = site, Name = "vm-1" }, headers);
        var gone = await Assert.ThrowsAsync<RpcException>(() => vms.GetInstanceAsync(new GetInstanceRequest { SiteId = site, Name = "vm-1" }, headers).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, gone.StatusCode);
        Assert.Equal(0, (await sites.GetSiteAsync(new GetSiteRequest { SiteId = site }, headers)).Instances);
    }

    [Fact]
    public async Task Devices_OverTheApi_ProvisionShowCrossListRulesWatchAndDelete()
    {
        var headers = fixture.Admin;
        var devices = new DeviceService.DeviceServiceClient(fixture.Channel);
        var site = $"dev-{Id()[..8]}";
        await new SiteService.SiteServiceClient(fixture.Channel).CreateSiteAsync(new CreateSiteRequest { RequestId = Id(), SiteId = site }, headers);
        var hot = new ThresholdRule { Resource = "temperature", Direction = ThresholdDirection.Above, Limit = 80, Hysteresis = 2, Severity = AlarmSeverity.Critical };

        var provision = new ProvisionDeviceRequest { RequestId = Id(), SiteId = site, Name = "thermo-1", Service = "device-modbus", Profile = "thermo", Rules = { hot } };
        var provisioned = await devices.ProvisionDeviceAsync(provision, headers);
        Assert.Equal(("device-modbus", "thermo", 60, false), (provisioned.Service, provisioned.Profile, provisioned.OfflineWindowSeconds, provisioned.Online));
        Assert.Equal(hot, provisioned.Rules.Single());
        Assert.Equal(provisioned, await devices.ProvisionDeviceAsync(provision, headers));
        var again = await Assert.ThrowsAsync<RpcException>(() => devices.ProvisionDeviceAsync(new ProvisionDeviceRequest(provision) { RequestId = Id() }, headers).ResponseAsync);
        Assert.Equal(StatusCode.AlreadyExists, again.StatusCode);

        // Device events come from the MQTT bridge, which calls the device grain directly.
        var device = fixture.Grains.GetGrain<Abstractions.IDeviceGrain>($"{site}/thermo-1");
        await device.IngestAsync(new Abstractions.DeviceEvent("device-modbus", "thermo", "thermo-1", "temperature", Id(), 0, [new Abstractions.DeviceReading("temperature", "Float64", "85.5", 85.5, null, null, null, "C", 0)]));
        var shown = await devices.GetDeviceAsync(new GetDeviceRequest { SiteId = site, Name = "thermo-1" }, headers);
        Assert.True(shown.Online);
        Assert.Equal(("temperature", "85.5", 85.5, "C"), (shown.Readings.Single().Resource, shown.Readings.Single().Value, shown.Readings.Single().Number, shown.Readings.Single().Units));
        Assert.Equal((ThresholdDirection.Above, 85.5), (shown.Crossings.Single().Direction, shown.Crossings.Single().Value));
        var alarm = (await new AlarmService.AlarmServiceClient(fixture.Channel).ListAlarmsAsync(new ListAlarmsRequest { SiteId = site }, headers)).Alarms.Single();
        Assert.Equal(("900.001", $"site={site}.device=thermo-1.resource=temperature", AlarmSeverity.Critical), (alarm.AlarmId, alarm.EntityInstanceId, alarm.Severity));

        var loosened = await devices.UpdateDeviceRulesAsync(new UpdateDeviceRulesRequest { RequestId = Id(), SiteId = site, Name = "thermo-1", Rules = { new ThresholdRule(hot) { Limit = 90 } } }, headers);
        Assert.Empty(loosened.Crossings);
        Assert.Equal(90, loosened.Rules.Single().Limit);
        Assert.Empty((await new AlarmService.AlarmServiceClient(fixture.Channel).ListAlarmsAsync(new ListAlarmsRequest { SiteId = site }, headers)).Alarms);
        await devices.ProvisionDeviceAsync(new ProvisionDeviceRequest { RequestId = Id(), SiteId = site, Name = "valve-1", Service = "device-modbus", Profile = "valve", OfflineWindowSeconds = 5 }, headers);
        Assert.Equal(["thermo-1", "valve-1"], (await devices.ListDevicesAsync(new ListDevicesRequest { SiteId = site }, headers)).Devices.Select(d => d.Name));

        using var watch = new EventService.EventServiceClient(fixture.Channel).Watch(new WatchRequest { Sites = { site }, Kinds = { "device" } }, headers, deadline: DateTime.UtcNow.AddSeconds(30));
        var types = new List<string>();
        while (types.Count < 6 && await watch.ResponseStream.MoveNext(CancellationToken.None))
        {
            Assert.Equal("device", watch.ResponseStream.Current.Kind);
            types.Add(watch.ResponseStream.Current.Type);
        }

        Assert.Equal(["edge.device-provisioned", "edge.device-went-online", "edge.threshold-crossed", "edge.device-rules-changed", "edge.threshold-cleared", "edge.device-provisioned"], types);

        var deleted = await devices.DeleteDeviceAsync(new DeviceCommandRequest { RequestId = Id(), SiteId = site, Name = "thermo-1" }, headers);
        Assert.Equal("thermo-1", deleted.Name);
        Assert.Equal(["valve-1"], (await devices.ListDevicesAsync(new ListDevicesRequest { SiteId = site }, headers)).Devices.Select(d => d.Name));
        var gone = await Assert.ThrowsAsync<RpcException>(() => devices.GetDeviceAsync(new GetDeviceRequest { SiteId = site, Name = "thermo-1" }, headers).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task CreateToken_IssuesATokenTheGatewayAccepts()
    {
        var tokens = new TokenService.TokenServiceClient(fixture.Channel);

        var reader = await tokens.CreateTokenAsync(new CreateTokenRequest { Role = "reader", TtlSeconds = 600 }, fixture.Admin);

        var sites = new SiteService.SiteServiceClient(fixture.Channel);
        await sites.ListSitesAsync(new ListSitesRequest(), GatewayFixture.Bearer(reader.Token));
        var refused = await Assert.ThrowsAsync<RpcException>(() => sites.CreateSiteAsync(new CreateSiteRequest { RequestId = Id(), SiteId = "never" }, GatewayFixture.Bearer(reader.Token)).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
    }

    [Fact]
    public async Task Repeat_OfACommandWithTheSameRequestId_ReturnsTheFirstOutcome()
    {
        var sites = new SiteService.SiteServiceClient(fixture.Channel);
        var request = new CreateSiteRequest { RequestId = Id(), SiteId = $"again-{Id()[..8]}" };

        var first = await sites.CreateSiteAsync(request, fixture.Admin);
        var second = await sites.CreateSiteAsync(request, fixture.Admin);

        Assert.Equal(first, second);
    }
}
