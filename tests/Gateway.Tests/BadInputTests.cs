using Edge.Actors.Gateway.Protos;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;

namespace Edge.Actors.Gateway.Tests;

/// <summary>Bad input to every method: a precise status naming the field, and nothing recorded in the event store.</summary>
[Collection(GatewayGroup.Name)]
public sealed class BadInputTests(GatewayFixture fixture) : IAsyncLifetime
{
    private const string Site = "bad-input";

    public async Task InitializeAsync()
    {
        await new SiteService.SiteServiceClient(fixture.Channel).CreateSiteAsync(new CreateSiteRequest { RequestId = "bad-input-site", SiteId = Site }, fixture.Admin);
        var hosts = new HostService.HostServiceClient(fixture.Channel);
        await hosts.AddHostAsync(new AddHostRequest { RequestId = "bad-input-host", SiteId = Site, Name = "worker-0", Personality = HostPersonality.Worker, Vcpus = 8, MemoryMib = 8192, DiskGib = 100 }, fixture.Admin);
        await hosts.UnlockHostAsync(new HostCommandRequest { RequestId = "bad-input-unlock", SiteId = Site, Name = "worker-0" }, fixture.Admin);
        await new InstanceService.InstanceServiceClient(fixture.Channel).CreateInstanceAsync(
            new CreateInstanceRequest { RequestId = "bad-input-vm", SiteId = Site, Name = "vm-0", Image = "cirros", Flavor = new Flavor { Name = "t", Vcpus = 1, MemoryMib = 128, DiskGib = 1 } }, fixture.Admin);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public sealed record BadRequestCase(string Name, Func<GrpcChannel, Metadata, Task> Invoke, StatusCode Status, string? Field)
    {
        public override string ToString() => Name;
    }

    private static AddHostRequest Host(Action<AddHostRequest> change)
    {
        var request = new AddHostRequest { RequestId = Guid.NewGuid().ToString(), SiteId = Site, Name = "worker-9", Personality = HostPersonality.Worker, Vcpus = 4, MemoryMib = 4096, DiskGib = 10 };
        change(request);
        return request;
    }

    private static CreateInstanceRequest Vm(Action<CreateInstanceRequest> change)
    {
        var request = new CreateInstanceRequest { RequestId = Guid.NewGuid().ToString(), SiteId = Site, Name = "vm-9", Image = "cirros", Flavor = new Flavor { Name = "t", Vcpus = 1, MemoryMib = 128, DiskGib = 1 } };
        change(request);
        return request;
    }

    private static CreatePodRequest Pod(Action<CreatePodRequest> change)
    {
        var request = new CreatePodRequest { RequestId = Guid.NewGuid().ToString(), SiteId = Site, Namespace = "apps", Name = "p-9", MilliCpu = 100, MemoryMib = 64 };
        change(request);
        return request;
    }

    private static Func<GrpcChannel, Metadata, Task> Sites(Func<SiteService.SiteServiceClient, Metadata, AsyncUnaryCall<Site>> call) => (c, h) => call(new(c), h).ResponseAsync;

    private static Func<GrpcChannel, Metadata, Task> Hosts<T>(Func<HostService.HostServiceClient, Metadata, AsyncUnaryCall<T>> call) => (c, h) => call(new(c), h).ResponseAsync;

    private static Func<GrpcChannel, Metadata, Task> Vms<T>(Func<InstanceService.InstanceServiceClient, Metadata, AsyncUnaryCall<T>> call) => (c, h) => call(new(c), h).ResponseAsync;

    private static Func<GrpcChannel, Metadata, Task> Pods<T>(Func<PodService.PodServiceClient, Metadata, AsyncUnaryCall<T>> call) => (c, h) => call(new(c), h).ResponseAsync;

    private static Func<GrpcChannel, Metadata, Task> Pools<T>(Func<StorageService.StorageServiceClient, Metadata, AsyncUnaryCall<T>> call) => (c, h) => call(new(c), h).ResponseAsync;

    private static Func<GrpcChannel, Metadata, Task> Alarms<T>(Func<AlarmService.AlarmServiceClient, Metadata, AsyncUnaryCall<T>> call) => (c, h) => call(new(c), h).ResponseAsync;

    private static Func<GrpcChannel, Metadata, Task> Devices<T>(Func<DeviceService.DeviceServiceClient, Metadata, AsyncUnaryCall<T>> call) => (c, h) => call(new(c), h).ResponseAsync;

    private static ProvisionDeviceRequest Device(Action<ProvisionDeviceRequest> change)
    {
        var request = new ProvisionDeviceRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            SiteId = Site,
            Name = "thermo-9",
            Service = "device-modbus",
            Profile = "thermo",
            Rules = { new ThresholdRule { Resource = "temperature", Direction = ThresholdDirection.Above, Limit = 80, Hysteresis = 2, Severity = AlarmSeverity.Major } },
        };
        change(request);
        return request;
    }

    private static RaiseAlarmRequest Alarm(Action<RaiseAlarmRequest> change)
    {
        var request = new RaiseAlarmRequest { SiteId = Site, AlarmId = "200.004", EntityInstanceId = "host=bad-input/worker-0", Severity = AlarmSeverity.Critical, Reason = "failed" };
        change(request);
        return request;
    }

    private static Func<GrpcChannel, Metadata, Task> Watch(WatchRequest request) => async (c, h) =>
    {
        using var watch = new EventService.EventServiceClient(c).Watch(request, h);
        await watch.ResponseStream.MoveNext(CancellationToken.None);
    };

    public static TheoryData<BadRequestCase> Cases() =>
    [
        new("site id missing", Sites((s, h) => s.GetSiteAsync(new GetSiteRequest(), h)), StatusCode.InvalidArgument, "site_id"),
        new("site id upper case", Sites((s, h) => s.GetSiteAsync(new GetSiteRequest { SiteId = "Lyon" }, h)), StatusCode.InvalidArgument, "site_id"),
        new("site unknown", Sites((s, h) => s.GetSiteAsync(new GetSiteRequest { SiteId = "nowhere" }, h)), StatusCode.NotFound, "site_id"),
        new("create site without request id", Sites((s, h) => s.CreateSiteAsync(new CreateSiteRequest { SiteId = "x1" }, h)), StatusCode.InvalidArgument, "request_id"),
        new("create site, description too long", Sites((s, h) => s.CreateSiteAsync(new CreateSiteRequest { RequestId = "r", SiteId = "x2", Description = new string('d', 300) }, h)), StatusCode.InvalidArgument, "description"),
        new("create site that exists", Sites((s, h) => s.CreateSiteAsync(new CreateSiteRequest { RequestId = Guid.NewGuid().ToString(), SiteId = Site }, h)), StatusCode.AlreadyExists, "site_id"),
        new("manage unknown site", Sites((s, h) => s.ManageSiteAsync(new SiteCommandRequest { RequestId = "r", SiteId = "nowhere" }, h)), StatusCode.NotFound, "site_id"),
        new("list sites, negative page size", (c, h) => new SiteService.SiteServiceClient(c).ListSitesAsync(new ListSitesRequest { Page = new Page { PageSize = -1 } }, h).ResponseAsync, StatusCode.InvalidArgument, "page.page_size"),
        new("list sites, absurd page size", (c, h) => new SiteService.SiteServiceClient(c).ListSitesAsync(new ListSitesRequest { Page = new Page { PageSize = 50000 } }, h).ResponseAsync, StatusCode.InvalidArgument, "page.page_size"),
        new("list sites, unknown management", (c, h) => new SiteService.SiteServiceClient(c).ListSitesAsync(new ListSitesRequest { Management = (SiteManagement)42 }, h).ResponseAsync, StatusCode.InvalidArgument, "management"),
        new("add host, no personality", Hosts((s, h) => s.AddHostAsync(Host(r => r.Personality = HostPersonality.Unspecified), h)), StatusCode.InvalidArgument, "personality"),
        new("add host, unknown personality", Hosts((s, h) => s.AddHostAsync(Host(r => r.Personality = (HostPersonality)42), h)), StatusCode.InvalidArgument, "personality"),
        new("add host, zero vcpus", Hosts((s, h) => s.AddHostAsync(Host(r => r.Vcpus = 0), h)), StatusCode.InvalidArgument, "vcpus"),
        new("add host, negative vcpus", Hosts((s, h) => s.AddHostAsync(Host(r => r.Vcpus = -8), h)), StatusCode.InvalidArgument, "vcpus"),
        new("add host, absurd memory", Hosts((s, h) => s.AddHostAsync(Host(r => r.MemoryMib = long.MaxValue), h)), StatusCode.InvalidArgument, "memory_mib"),
        new("add host, too little memory", Hosts((s, h) => s.AddHostAsync(Host(r => r.MemoryMib = 16), h)), StatusCode.InvalidArgument, "memory_mib"),
        new("add host, zero disk", Hosts((s, h) => s.AddHostAsync(Host(r => r.DiskGib = 0), h)), StatusCode.InvalidArgument, "disk_gib"),
        new("add host, no name", Hosts((s, h) => s.AddHostAsync(Host(r => r.Name = string.Empty), h)), StatusCode.InvalidArgument, "name"),
        new("add host, name too long", Hosts((s, h) => s.AddHostAsync(Host(r => r.Name = new string('h', 300)), h)), StatusCode.InvalidArgument, "name"),
        new("add host, unknown site", Hosts((s, h) => s.AddHostAsync(Host(r => r.SiteId = "nowhere"), h)), StatusCode.NotFound, "site_id"),
        new("add host that exists", Hosts((s, h) => s.AddHostAsync(Host(r => r.Name = "worker-0"), h)), StatusCode.AlreadyExists, "name"),
        new("lock unknown host", Hosts((s, h) => s.LockHostAsync(new HostCommandRequest { RequestId = "r", SiteId = Site, Name = "missing" }, h)), StatusCode.NotFound, "name"),
        new("delete unlocked host", Hosts((s, h) => s.DeleteHostAsync(new HostCommandRequest { RequestId = Guid.NewGuid().ToString(), SiteId = Site, Name = "worker-0" }, h)), StatusCode.FailedPrecondition, null),
        new("lock a host whose VM cannot move", Hosts((s, h) => s.LockHostAsync(new HostCommandRequest { RequestId = Guid.NewGuid().ToString(), SiteId = Site, Name = "worker-0" }, h)), StatusCode.FailedPrecondition, null),
        new("list hosts, unknown availability", Hosts((s, h) => s.ListHostsAsync(new ListHostsRequest { SiteId = Site, Availability = (Availability)99 }, h)), StatusCode.InvalidArgument, "availability"),
        new("create VM, no flavor", Vms((s, h) => s.CreateInstanceAsync(Vm(r => r.Flavor = null), h)), StatusCode.InvalidArgument, "flavor"),
        new("create VM, zero vcpus", Vms((s, h) => s.CreateInstanceAsync(Vm(r => r.Flavor.Vcpus = 0), h)), StatusCode.InvalidArgument, "flavor.vcpus"),
        new("create VM, absurd vcpus", Vms((s, h) => s.CreateInstanceAsync(Vm(r => r.Flavor.Vcpus = 100000), h)), StatusCode.InvalidArgument, "flavor.vcpus"),
        new("create VM, negative memory", Vms((s, h) => s.CreateInstanceAsync(Vm(r => r.Flavor.MemoryMib = -1), h)), StatusCode.InvalidArgument, "flavor.memory_mib"),
        new("create VM, no image", Vms((s, h) => s.CreateInstanceAsync(Vm(r => r.Image = string.Empty), h)), StatusCode.InvalidArgument, "image"),
        new("create VM, group without policy", Vms((s, h) => s.CreateInstanceAsync(Vm(r => r.Group = new ServerGroup { Name = "db" }), h)), StatusCode.InvalidArgument, "group.policy"),
        new("create VM, unknown site", Vms((s, h) => s.CreateInstanceAsync(Vm(r => r.SiteId = "nowhere"), h)), StatusCode.NotFound, "site_id"),
        new("create VM with no room", Vms((s, h) => s.CreateInstanceAsync(Vm(r => r.Flavor.Vcpus = 64), h)), StatusCode.FailedPrecondition, null),
        new("create VM that exists", Vms((s, h) => s.CreateInstanceAsync(Vm(r => r.Name = "vm-0"), h)), StatusCode.AlreadyExists, "name"),
        new("migrate VM to a bad host name", Vms((s, h) => s.MigrateInstanceAsync(new MigrateInstanceRequest { RequestId = "r", SiteId = Site, Name = "vm-0", ToHost = "Worker_1" }, h)), StatusCode.InvalidArgument, "to_host"),
        new("migrate VM to an unknown host", Vms((s, h) => s.MigrateInstanceAsync(new MigrateInstanceRequest { RequestId = Guid.NewGuid().ToString(), SiteId = Site, Name = "vm-0", ToHost = "worker-7" }, h)), StatusCode.NotFound, "to_host"),
        new("start an active VM", Vms((s, h) => s.StartInstanceAsync(new InstanceCommandRequest { RequestId = Guid.NewGuid().ToString(), SiteId = Site, Name = "vm-0" }, h)), StatusCode.FailedPrecondition, null),
        new("list VMs, unknown state", Vms((s, h) => s.ListInstancesAsync(new ListInstancesRequest { SiteId = Site, State = (InstanceState)77 }, h)), StatusCode.InvalidArgument, "state"),
        new("create pod, zero cpu", Pods((s, h) => s.CreatePodAsync(Pod(r => r.MilliCpu = 0), h)), StatusCode.InvalidArgument, "milli_cpu"),
        new("create pod, zero memory", Pods((s, h) => s.CreatePodAsync(Pod(r => r.MemoryMib = 0), h)), StatusCode.InvalidArgument, "memory_mib"),
        new("create pod, bad owner", Pods((s, h) => s.CreatePodAsync(Pod(r => r.Owner = "Web App"), h)), StatusCode.InvalidArgument, "owner"),
        new("create pod, no namespace", Pods((s, h) => s.CreatePodAsync(Pod(r => r.Namespace = string.Empty), h)), StatusCode.InvalidArgument, "namespace"),
        new("delete unknown pod", Pods((s, h) => s.DeletePodAsync(new PodCommandRequest { RequestId = "r", SiteId = Site, Namespace = "apps", Name = "missing" }, h)), StatusCode.NotFound, "name"),
        new("create pool, size 0", Pools((s, h) => s.CreatePoolAsync(new CreatePoolRequest { RequestId = "r", SiteId = Site, Name = "rbd" }, h)), StatusCode.InvalidArgument, "size"),
        new("create pool, size 9", Pools((s, h) => s.CreatePoolAsync(new CreatePoolRequest { RequestId = "r", SiteId = Site, Name = "rbd", Size = 9 }, h)), StatusCode.InvalidArgument, "size"),
        new("create pool, min size over size", Pools((s, h) => s.CreatePoolAsync(new CreatePoolRequest { RequestId = "r", SiteId = Site, Name = "rbd", Size = 2, MinSize = 3 }, h)), StatusCode.InvalidArgument, "min_size"),
        new("add OSD, zero capacity", Pools((s, h) => s.AddOsdAsync(new AddOsdRequest { RequestId = "r", SiteId = Site, Name = "rbd", Host = "worker-0" }, h)), StatusCode.InvalidArgument, "capacity_gib"),
        new("add OSD, no host", Pools((s, h) => s.AddOsdAsync(new AddOsdRequest { RequestId = "r", SiteId = Site, Name = "rbd", CapacityGib = 10 }, h)), StatusCode.InvalidArgument, "host"),
        new("create volume, negative size", Pools((s, h) => s.CreateVolumeAsync(new CreateVolumeRequest { RequestId = "r", SiteId = Site, Name = "rbd", Volume = "v", SizeGib = -1 }, h)), StatusCode.InvalidArgument, "size_gib"),
        new("create volume in unknown pool", Pools((s, h) => s.CreateVolumeAsync(new CreateVolumeRequest { RequestId = "r", SiteId = Site, Name = "rbd", Volume = "v", SizeGib = 1 }, h)), StatusCode.NotFound, "name"),
        new("raise alarm, no alarm id", Alarms((s, h) => s.RaiseAlarmAsync(Alarm(r => r.AlarmId = string.Empty), h)), StatusCode.InvalidArgument, "alarm_id"),
        new("raise alarm, alarm id not ddd.ddd", Alarms((s, h) => s.RaiseAlarmAsync(Alarm(r => r.AlarmId = "200.04"), h)), StatusCode.InvalidArgument, "alarm_id"),
        new("raise alarm, no entity", Alarms((s, h) => s.RaiseAlarmAsync(Alarm(r => r.EntityInstanceId = " "), h)), StatusCode.InvalidArgument, "entity_instance_id"),
        new("raise alarm, entity too long", Alarms((s, h) => s.RaiseAlarmAsync(Alarm(r => r.EntityInstanceId = new string('e', 300)), h)), StatusCode.InvalidArgument, "entity_instance_id"),
        new("raise alarm, no severity", Alarms((s, h) => s.RaiseAlarmAsync(Alarm(r => r.Severity = AlarmSeverity.Unspecified), h)), StatusCode.InvalidArgument, "severity"),
        new("raise alarm, unknown severity", Alarms((s, h) => s.RaiseAlarmAsync(Alarm(r => r.Severity = (AlarmSeverity)42), h)), StatusCode.InvalidArgument, "severity"),
        new("raise alarm, no reason", Alarms((s, h) => s.RaiseAlarmAsync(Alarm(r => r.Reason = string.Empty), h)), StatusCode.InvalidArgument, "reason"),
        new("raise alarm, reason too long", Alarms((s, h) => s.RaiseAlarmAsync(Alarm(r => r.Reason = new string('r', 600)), h)), StatusCode.InvalidArgument, "reason"),
        new("raise alarm, repair action too long", Alarms((s, h) => s.RaiseAlarmAsync(Alarm(r => r.ProposedRepairAction = new string('p', 600)), h)), StatusCode.InvalidArgument, "proposed_repair_action"),
        new("raise alarm, unknown site", Alarms((s, h) => s.RaiseAlarmAsync(Alarm(r => r.SiteId = "nowhere"), h)), StatusCode.NotFound, "site_id"),
        new("clear alarm, bad alarm id", Alarms((s, h) => s.ClearAlarmAsync(new ClearAlarmRequest { SiteId = Site, AlarmId = "x", EntityInstanceId = "host=a" }, h)), StatusCode.InvalidArgument, "alarm_id"),
        new("clear alarm, no entity", Alarms((s, h) => s.ClearAlarmAsync(new ClearAlarmRequest { SiteId = Site, AlarmId = "200.004" }, h)), StatusCode.InvalidArgument, "entity_instance_id"),
        new("get alarm that is not active", Alarms((s, h) => s.GetAlarmAsync(new GetAlarmRequest { SiteId = Site, AlarmId = "200.004", EntityInstanceId = "host=none" }, h)), StatusCode.NotFound, "alarm_id"),
        new("list alarms, unknown severity", Alarms((s, h) => s.ListAlarmsAsync(new ListAlarmsRequest { SiteId = Site, Severity = (AlarmSeverity)9 }, h)), StatusCode.InvalidArgument, "severity"),
        new("list alarms, entity prefix too long", Alarms((s, h) => s.ListAlarmsAsync(new ListAlarmsRequest { SiteId = Site, EntityInstanceId = new string('e', 300) }, h)), StatusCode.InvalidArgument, "entity_instance_id"),
        new("list alarms, absurd page size", Alarms((s, h) => s.ListAlarmsAsync(new ListAlarmsRequest { SiteId = Site, Page = new Page { PageSize = 5000 } }, h)), StatusCode.InvalidArgument, "page.page_size"),
        new("list event log, bad page token", Alarms((s, h) => s.ListEventLogAsync(new ListEventLogRequest { SiteId = Site, Page = new Page { PageToken = "-3" } }, h)), StatusCode.InvalidArgument, "page.page_token"),
        new("list event log, negative page size", Alarms((s, h) => s.ListEventLogAsync(new ListEventLogRequest { SiteId = Site, Page = new Page { PageSize = -1 } }, h)), StatusCode.InvalidArgument, "page.page_size"),
        new("suppress a bad alarm id", Alarms((s, h) => s.SuppressAlarmAsync(new SuppressionRequest { SiteId = Site, AlarmId = "200" }, h)), StatusCode.InvalidArgument, "alarm_id"),
        new("unsuppress without an alarm id", Alarms((s, h) => s.UnsuppressAlarmAsync(new SuppressionRequest { SiteId = Site }, h)), StatusCode.InvalidArgument, "alarm_id"),
        new("suppress in an unknown site", Alarms((s, h) => s.SuppressAlarmAsync(new SuppressionRequest { SiteId = "nowhere", AlarmId = "200.004" }, h)), StatusCode.NotFound, "site_id"),
        new("alarm summary, bad site id", Alarms((s, h) => s.GetAlarmSummaryAsync(new GetAlarmSummaryRequest { SiteId = "Bad Site" }, h)), StatusCode.InvalidArgument, "site_id"),
        new("provision device, no service", Devices((s, h) => s.ProvisionDeviceAsync(Device(r => r.Service = string.Empty), h)), StatusCode.InvalidArgument, "service"),
        new("provision device, no profile", Devices((s, h) => s.ProvisionDeviceAsync(Device(r => r.Profile = " "), h)), StatusCode.InvalidArgument, "profile"),
        new("provision device, bad name", Devices((s, h) => s.ProvisionDeviceAsync(Device(r => r.Name = "Thermo_9"), h)), StatusCode.InvalidArgument, "name"),
        new("provision device, rule without direction", Devices((s, h) => s.ProvisionDeviceAsync(Device(r => r.Rules[0].Direction = ThresholdDirection.Unspecified), h)), StatusCode.InvalidArgument, "rules[0].direction"),
        new("provision device, rule without severity", Devices((s, h) => s.ProvisionDeviceAsync(Device(r => r.Rules[0].Severity = AlarmSeverity.Unspecified), h)), StatusCode.InvalidArgument, "rules[0].severity"),
        new("provision device, rule limit not a number", Devices((s, h) => s.ProvisionDeviceAsync(Device(r => r.Rules[0].Limit = double.NaN), h)), StatusCode.InvalidArgument, "rules[0].limit"),
        new("provision device, negative hysteresis", Devices((s, h) => s.ProvisionDeviceAsync(Device(r => r.Rules[0].Hysteresis = -1), h)), StatusCode.InvalidArgument, "rules[0].hysteresis"),
        new("provision device, rule without resource", Devices((s, h) => s.ProvisionDeviceAsync(Device(r => r.Rules[0].Resource = string.Empty), h)), StatusCode.InvalidArgument, "rules[0].resource"),
        new("provision device, the same rule twice", Devices((s, h) => s.ProvisionDeviceAsync(Device(r => r.Rules.Add(r.Rules[0].Clone())), h)), StatusCode.InvalidArgument, "rules[1]"),
        new("provision device, negative offline window", Devices((s, h) => s.ProvisionDeviceAsync(Device(r => r.OfflineWindowSeconds = -5), h)), StatusCode.InvalidArgument, "offline_window_seconds"),
        new("provision device, offline window over a week", Devices((s, h) => s.ProvisionDeviceAsync(Device(r => r.OfflineWindowSeconds = 700_000), h)), StatusCode.InvalidArgument, "offline_window_seconds"),
        new("provision device, unknown site", Devices((s, h) => s.ProvisionDeviceAsync(Device(r => r.SiteId = "nowhere"), h)), StatusCode.NotFound, "site_id"),
        new("get unknown device", Devices((s, h) => s.GetDeviceAsync(new GetDeviceRequest { SiteId = Site, Name = "missing" }, h)), StatusCode.NotFound, "name"),
        new("update rules of unknown device", Devices((s, h) => s.UpdateDeviceRulesAsync(new UpdateDeviceRulesRequest { RequestId = "r", SiteId = Site, Name = "missing" }, h)), StatusCode.NotFound, "name"),
        new("delete unknown device", Devices((s, h) => s.DeleteDeviceAsync(new DeviceCommandRequest { RequestId = "r", SiteId = Site, Name = "missing" }, h)), StatusCode.NotFound, "name"),
        new("list devices of unknown site", Devices((s, h) => s.ListDevicesAsync(new ListDevicesRequest { SiteId = "nowhere" }, h)), StatusCode.NotFound, "site_id"),
        new("list devices, absurd page size", Devices((s, h) => s.ListDevicesAsync(new ListDevicesRequest { SiteId = Site, Page = new Page { PageSize = 5000 } }, h)), StatusCode.InvalidArgument, "page.page_size"),
        new("watch from a negative position", Watch(new WatchRequest { FromPosition = -1 }), StatusCode.InvalidArgument, "from_position"),
        new("watch an unknown kind", Watch(new WatchRequest { Kinds = { "cats" } }), StatusCode.InvalidArgument, "kinds[0]"),
        new("watch a bad site name", Watch(new WatchRequest { Sites = { "Bad Site" } }), StatusCode.InvalidArgument, "sites[0]"),
        new("token with an unknown role", (c, h) => new TokenService.TokenServiceClient(c).CreateTokenAsync(new CreateTokenRequest { Role = "root" }, h).ResponseAsync, StatusCode.InvalidArgument, "role"),
        new("token with a negative lifetime", (c, h) => new TokenService.TokenServiceClient(c).CreateTokenAsync(new CreateTokenRequest { Role = "reader", TtlSeconds = -1 }, h).ResponseAsync, StatusCode.InvalidArgument, "ttl_seconds"),
        new("request larger than the limit", Sites((s, h) => s.CreateSiteAsync(new CreateSiteRequest { RequestId = "r", SiteId = "huge", Description = new string('x', 2 * 1024 * 1024) }, h)), StatusCode.ResourceExhausted, null),
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Request_WithBadInput_GetsItsStatusNamingTheFieldAndChangesNothing(BadRequestCase bad)
    {
        var before = await fixture.Store.ReadHeadPositionAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => bad.Invoke(fixture.Channel, fixture.Admin));

        Assert.Equal(bad.Status, error.StatusCode);
        Assert.False(string.IsNullOrWhiteSpace(error.Status.Detail));
        Assert.DoesNotContain("   at ", error.Status.Detail, StringComparison.Ordinal);
        var violation = error.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations.SingleOrDefault();
        Assert.Equal(bad.Field, violation?.Field);
        Assert.Equal(before, await fixture.Store.ReadHeadPositionAsync());
    }

    public static TheoryData<ApiCall> MethodsNamingASite() => [.. ApiCall.All.Where(c => c.Method is not ("SiteService.ListSites" or "AlarmService.GetAlarmSummary"))];

    [Theory]
    [MemberData(nameof(MethodsNamingASite))]
    public async Task Method_WithoutASiteId_IsInvalidArgumentNamingItAndChangesNothing(ApiCall call)
    {
        var before = await fixture.Store.ReadHeadPositionAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => call.Invoke(fixture.Channel, fixture.Admin, string.Empty));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var field = error.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations.Single().Field;
        Assert.Equal(call.Method is "EventService.Watch" or "TokenService.CreateToken" ? "sites[0]" : "site_id", field);
        Assert.Equal(before, await fixture.Store.ReadHeadPositionAsync());
    }

    [Fact]
    public void Gateway_OnANonLoopbackAddressWithoutTls_IsRefusedNamingTheSetting()
    {
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateSlimBuilder();

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddEdgeGateway(new GatewaySettings { Address = System.Net.IPAddress.Parse("192.0.2.10"), SigningKey = Convert.ToBase64String(new byte[32]) }));

        Assert.StartsWith("Edge:Gateway:Address (--grpc-address)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Call_PastItsDeadline_IsDeadlineExceeded()
    {
        var sites = new SiteService.SiteServiceClient(fixture.Channel);

        var error = await Assert.ThrowsAsync<RpcException>(() => sites.ListSitesAsync(new ListSitesRequest(), fixture.Admin, deadline: DateTime.UtcNow.AddMilliseconds(-1)).ResponseAsync);

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
    }
}
