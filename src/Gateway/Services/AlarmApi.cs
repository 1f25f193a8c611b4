using System.Globalization;
using Edge.Actors.Abstractions;
using Edge.Actors.Gateway.Errors;
using Edge.Actors.Gateway.Protos;
using Edge.Actors.Gateway.Security;
using Grpc.Core;

namespace Edge.Actors.Gateway.Services;

internal sealed class AlarmApi(IGrainFactory grains) : AlarmService.AlarmServiceBase
{
    private IAlarmGrain Grain(string site) => grains.GetGrain<IAlarmGrain>(site);

    public override async Task<ListAlarmsResponse> ListAlarms(ListAlarmsRequest request, ServerCallContext context)
    {
        // Who may call comes before what the input says: an unauthorised caller learns nothing from validation.
        Caller.From(context).Require(EdgeRole.Reader, request.SiteId);
        var site = Require.Name(request.SiteId, "site_id");
        var severity = request.Severity == Protos.AlarmSeverity.Unspecified ? (Abstractions.AlarmSeverity?)null : Require.Enum(request.Severity, "severity", s => s.ToDomain());
        var prefix = Require.Valid(request.EntityInstanceId, AlarmRules.CheckText(request.EntityInstanceId, "entity_instance_id", AlarmRules.MaxEntityLength, required: false));
        var alarms = await Grain(site).ListAsync(new AlarmFilter(severity, prefix, request.IncludeSuppressed), context.CancellationToken);
        var byKey = alarms.ToDictionary(a => $"{a.AlarmId} {a.EntityInstanceId}", StringComparer.Ordinal);
        var (keys, next) = ProtoMapping.Page(byKey.Keys, request.Page);
        var response = new ListAlarmsResponse { NextPageToken = next };
        response.Alarms.AddRange(keys.Select(k => byKey[k].ToProto()));
        return response;
    }

    public override async Task<Protos.Alarm> GetAlarm(GetAlarmRequest request, ServerCallContext context)
    {
        // Who may call comes before what the input says: an unauthorised caller learns nothing from validation.
        Caller.From(context).Require(EdgeRole.Reader, request.SiteId);
        var (site, alarmId, entity) = Key(request.SiteId, request.AlarmId, request.EntityInstanceId);
        return (await Grain(site).GetAsync(alarmId, entity, context.CancellationToken)).ToProto();
    }

    public override async Task<Protos.Alarm> RaiseAlarm(RaiseAlarmRequest request, ServerCallContext context)
    {
        // Who may call comes before what the input says: an unauthorised caller learns nothing from validation.
        Caller.From(context).Require(EdgeRole.Operator, request.SiteId);
        var (site, alarmId, entity) = Key(request.SiteId, request.AlarmId, request.EntityInstanceId);
        var severity = Require.Enum(request.Severity, "severity", s => s.ToDomain());
        var reason = Require.Valid(request.Reason, AlarmRules.CheckText(request.Reason, "reason", AlarmRules.MaxReasonLength, required: true));
        var repair = Require.Valid(request.ProposedRepairAction, AlarmRules.CheckText(request.ProposedRepairAction, "proposed_repair_action", AlarmRules.MaxRepairActionLength, required: false));
        var command = new RaiseAlarm(alarmId, entity, severity, reason, repair, request.ServiceAffecting);
        return (await Grain(site).RaiseAsync(command, context.CancellationToken)).ToProto();
    }

    public override async Task<ClearAlarmResponse> ClearAlarm(ClearAlarmRequest request, ServerCallContext context)
    {
        // Who may call comes before what the input says: an unauthorised caller learns nothing from validation.
        Caller.From(context).Require(EdgeRole.Operator, request.SiteId);
        var (site, alarmId, entity) = Key(request.SiteId, request.AlarmId, request.EntityInstanceId);
        return new ClearAlarmResponse { WasActive = await Grain(site).ClearAsync(alarmId, entity, context.CancellationToken) };
    }

    public override async Task<ListEventLogResponse> ListEventLog(ListEventLogRequest request, ServerCallContext context)
    {
        // Who may call comes before what the input says: an unauthorised caller learns nothing from validation.
        Caller.From(context).Require(EdgeRole.Reader, request.SiteId);
        var site = Require.Name(request.SiteId, "site_id");
        var size = Require.PageSize(request.Page);
        var token = request.Page?.PageToken ?? string.Empty;
        var from = token.Length == 0 ? 0
            : long.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version
            : throw GrpcErrors.InvalidArgument("page.page_token", "page_token must be a next_page_token this method returned");
        var page = await Grain(site).ReadLogAsync(from, size, context.CancellationToken);
        var response = new ListEventLogResponse { NextPageToken = page.NextFromVersion?.ToString(CultureInfo.InvariantCulture) ?? string.Empty };
        response.Entries.AddRange(page.Entries.Select(e => e.ToProto()));
        return response;
    }

    public override async Task<Suppression> SuppressAlarm(SuppressionRequest request, ServerCallContext context)
    {
        // Who may call comes before what the input says: an unauthorised caller learns nothing from validation.
        Caller.From(context).Require(EdgeRole.Operator, request.SiteId);
        var (site, alarmId) = (Require.Name(request.SiteId, "site_id"), Require.AlarmId(request.AlarmId));
        await Grain(site).SuppressAsync(alarmId, context.CancellationToken);
        return new Suppression { SiteId = site, AlarmId = alarmId, Suppressed = true };
    }

    public override async Task<Suppression> UnsuppressAlarm(SuppressionRequest request, ServerCallContext context)
    {
        // Who may call comes before what the input says: an unauthorised caller learns nothing from validation.
        Caller.From(context).Require(EdgeRole.Operator, request.SiteId);
        var (site, alarmId) = (Require.Name(request.SiteId, "site_id"), Require.AlarmId(request.AlarmId));
        await Grain(site).UnsuppressAsync(alarmId, context.CancellationToken);
        return new Suppression { SiteId = site, AlarmId = alarmId, Suppressed = false };
    }

    public override async Task<Protos.AlarmSummary> GetAlarmSummary(GetAlarmSummaryRequest request, ServerCallContext context)
    {
        // An empty site id asks for every site the caller may see, as ListSites does; a named one must be in its scope.
        var caller = Caller.From(context).Require(EdgeRole.Reader, string.IsNullOrEmpty(request.SiteId) ? null : request.SiteId);
        IEnumerable<string> sites = string.IsNullOrEmpty(request.SiteId)
            ? (await grains.GetGrain<ISiteDirectoryGrain>(ISiteDirectoryGrain.Key).ListAsync(context.CancellationToken)).Where(caller.MaySee)
            : [Require.Name(request.SiteId, "site_id")];
        var summaries = await Task.WhenAll(sites.Select(site => Grain(site).SummaryAsync(context.CancellationToken)));
        return summaries.ToProto();
    }

    private static (string Site, string AlarmId, string Entity) Key(string site, string alarmId, string entity)
    {
        return (Require.Name(site, "site_id"), Require.AlarmId(alarmId), Require.Valid(entity, AlarmRules.CheckEntity(entity)));
    }
}
