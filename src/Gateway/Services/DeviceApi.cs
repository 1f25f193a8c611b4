using Edge.Actors.Abstractions;
using Edge.Actors.Gateway.Errors;
using Edge.Actors.Gateway.Protos;
using Edge.Actors.Gateway.Security;
using Grpc.Core;

namespace Edge.Actors.Gateway.Services;

internal sealed class DeviceApi(IGrainFactory grains) : DeviceService.DeviceServiceBase
{
    private IDeviceGrain Grain(string site, string name) => grains.GetGrain<IDeviceGrain>(ResourceNames.Key(site, name));

    public override async Task<Protos.Device> GetDevice(GetDeviceRequest request, ServerCallContext context)
    {
        // Who may call comes before what the input says: an unauthorised caller learns nothing from validation.
        Caller.From(context).Require(EdgeRole.Reader, request.SiteId);
        var (site, name) = (Require.Name(request.SiteId, "site_id"), Require.Name(request.Name, "name"));
        return (await Grain(site, name).GetAsync(context.CancellationToken)).ToProto();
    }

    public override async Task<ListDevicesResponse> ListDevices(ListDevicesRequest request, ServerCallContext context)
    {
        // Who may call comes before what the input says: an unauthorised caller learns nothing from validation.
        Caller.From(context).Require(EdgeRole.Reader, request.SiteId);
        var site = Require.Name(request.SiteId, "site_id");
        await grains.GetGrain<ISiteGrain>(site).GetAsync(context.CancellationToken);
        var listed = await grains.GetGrain<ISiteDevicesGrain>(site).ListAsync(context.CancellationToken);
        var (names, next) = ProtoMapping.Page(listed, request.Page);
        var response = new ListDevicesResponse { NextPageToken = next };
        var views = await Task.WhenAll(names.Select(n => LiveAsync(Grain(site, n), context.CancellationToken)));
        response.Devices.AddRange(views.OfType<DeviceView>().Select(v => v.ToProto()));
        return response;
    }

    public override async Task<Protos.Device> ProvisionDevice(ProvisionDeviceRequest request, ServerCallContext context)
    {
        // Who may call comes before what the input says: an unauthorised caller learns nothing from validation.
        Caller.From(context).Require(EdgeRole.Operator, request.SiteId);
        var requestId = Require.RequestId(request.RequestId);
        var (site, name) = (Require.Name(request.SiteId, "site_id"), Require.Name(request.Name, "name"));
        var service = Require.Text(request.Service, "service", required: true);
        var profile = Require.Text(request.Profile, "profile", required: true);
        var rules = Rules(request.Rules);
        var window = request.OfflineWindowSeconds == 0 ? DeviceRules.DefaultOfflineWindowSeconds : (int)Require.Positive(request.OfflineWindowSeconds, "offline_window_seconds", DeviceRules.MaxOfflineWindowSeconds);
        var command = new ProvisionDevice(requestId, service, profile, rules, window);
        return (await Grain(site, name).ProvisionAsync(command, context.CancellationToken)).ToProto();
    }

    public override async Task<Protos.Device> UpdateDeviceRules(UpdateDeviceRulesRequest request, ServerCallContext context)
    {
        // Who may call comes before what the input says: an unauthorised caller learns nothing from validation.
        Caller.From(context).Require(EdgeRole.Operator, request.SiteId);
        var requestId = Require.RequestId(request.RequestId);
        var (site, name) = (Require.Name(request.SiteId, "site_id"), Require.Name(request.Name, "name"));
        var command = new UpdateDeviceRules(requestId, Rules(request.Rules));
        return (await Grain(site, name).UpdateRulesAsync(command, context.CancellationToken)).ToProto();
    }

    public override async Task<Protos.Device> DeleteDevice(DeviceCommandRequest request, ServerCallContext context)
    {
        // Who may call comes before what the input says: an unauthorised caller learns nothing from validation.
        Caller.From(context).Require(EdgeRole.Operator, request.SiteId);
        var requestId = Require.RequestId(request.RequestId);
        var (site, name) = (Require.Name(request.SiteId, "site_id"), Require.Name(request.Name, "name"));
        return (await Grain(site, name).DeleteAsync(requestId, context.CancellationToken)).ToProto();
    }

    /// <summary>The device's view; null for a name listed by a provisioning that was never recorded (the list is written first).</summary>
    private static async Task<DeviceView?> LiveAsync(IDeviceGrain device, CancellationToken cancellationToken)
    {
        try
        {
            return await device.GetAsync(cancellationToken);
        }
        catch (EdgeException ex) when (ex.Code == EdgeErrorCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>The rules with their enums mapped; the device grain checks the rest (finite limits, hysteresis, duplicates), naming the same fields.</summary>
    private static Abstractions.ThresholdRule[] Rules(IReadOnlyList<Protos.ThresholdRule> rules) =>
        [.. rules.Select((r, i) => new Abstractions.ThresholdRule(
            r.Resource,
            Require.Enum(r.Direction, $"rules[{i}].direction", d => d.ToDomain()),
            r.Limit,
            r.Hysteresis,
            Require.Enum(r.Severity, $"rules[{i}].severity", s => s.ToDomain())))];
}
