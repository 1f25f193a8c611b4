using System.Net;
using Edge.Actors.Gateway.Protos;
using Edge.Actors.Gateway.Security;
using Google.Protobuf;
using Grpc.Core;

namespace Edge.Actors.Gateway.Tests;

/// <summary>The alarm service over a real channel: a fault's whole life, the event log page by page, summaries and the HTTP/JSON view.</summary>
[Collection(GatewayGroup.Name)]
public sealed class AlarmApiTests(GatewayFixture fixture)
{
    private static string Id() => Guid.NewGuid().ToString("N");

    private AlarmService.AlarmServiceClient Alarms => new(fixture.Channel);

    private async Task<string> NewSiteAsync()
    {
        var site = $"alarms-{Id()[..8]}";
        await new SiteService.SiteServiceClient(fixture.Channel).CreateSiteAsync(new CreateSiteRequest { RequestId = Id(), SiteId = site }, fixture.Admin);
        return site;
    }

    private static RaiseAlarmRequest HostFailed(string site, string host = "worker-3") => new()
    {
        SiteId = site,
        AlarmId = "200.004",
        EntityInstanceId = $"host={site}/{host}",
        Severity = AlarmSeverity.Critical,
        Reason = $"{host} experienced a service-affecting failure",
        ProposedRepairAction = "lock and unlock the host",
        ServiceAffecting = true,
    };

    [Fact]
    public async Task Alarms_RaisedListedSuppressedAndCleared_OverTheApi_DoWhatTheySay()
    {
        var site = await NewSiteAsync();
        var operatorToken = fixture.As(EdgeRole.Operator, site);
        var reader = fixture.As(EdgeRole.Reader, site);

        var raised = await Alarms.RaiseAlarmAsync(HostFailed(site), operatorToken);
        var again = await Alarms.RaiseAlarmAsync(HostFailed(site), operatorToken);
        await Alarms.RaiseAlarmAsync(HostFailed(site, "worker-4"), operatorToken);
        await Alarms.RaiseAlarmAsync(new RaiseAlarmRequest { SiteId = site, AlarmId = "100.101", EntityInstanceId = $"host={site}/controller-0", Severity = AlarmSeverity.Major, Reason = "CPU threshold exceeded" }, operatorToken);

        Assert.Equal((AlarmSeverity.Critical, true, false), (raised.Severity, raised.ServiceAffecting, raised.Suppressed));
        Assert.Equal(raised, again);
        Assert.Equal(raised, await Alarms.GetAlarmAsync(new GetAlarmRequest { SiteId = site, AlarmId = "200.004", EntityInstanceId = $"host={site}/worker-3" }, reader));
        Assert.Equal(3, (await Alarms.ListAlarmsAsync(new ListAlarmsRequest { SiteId = site }, reader)).Alarms.Count);
        Assert.Equal(["100.101"], (await Alarms.ListAlarmsAsync(new ListAlarmsRequest { SiteId = site, Severity = AlarmSeverity.Major }, reader)).Alarms.Select(a => a.AlarmId));
        Assert.Equal(2, (await Alarms.ListAlarmsAsync(new ListAlarmsRequest { SiteId = site, EntityInstanceId = $"host={site}/worker" }, reader)).Alarms.Count);

        var firstPage = await Alarms.ListAlarmsAsync(new ListAlarmsRequest { SiteId = site, Page = new Page { PageSize = 2 } }, reader);
        var secondPage = await Alarms.ListAlarmsAsync(new ListAlarmsRequest { SiteId = site, Page = new Page { PageSize = 2, PageToken = firstPage.NextPageToken } }, reader);
        Assert.Equal(
            [("100.101", $"host={site}/controller-0"), ("200.004", $"host={site}/worker-3"), ("200.004", $"host={site}/worker-4")],
            firstPage.Alarms.Concat(secondPage.Alarms).Select(a => (a.AlarmId, a.EntityInstanceId)));
        Assert.Equal(string.Empty, secondPage.NextPageToken);

        var suppression = await Alarms.SuppressAlarmAsync(new SuppressionRequest { SiteId = site, AlarmId = "200.004" }, operatorToken);
        Assert.True(suppression.Suppressed);
        Assert.Equal(["100.101"], (await Alarms.ListAlarmsAsync(new ListAlarmsRequest { SiteId = site }, reader)).Alarms.Select(a => a.AlarmId));
        var withSuppressed = await Alarms.ListAlarmsAsync(new ListAlarmsRequest { SiteId = site, IncludeSuppressed = true }, reader);
        Assert.Equal([false, true, true], withSuppressed.Alarms.Select(a => a.Suppressed));
        var summary = await Alarms.GetAlarmSummaryAsync(new GetAlarmSummaryRequest { SiteId = site }, reader);
        Assert.Equal((0, 1, 0, 0, 2), (summary.Critical, summary.Major, summary.Minor, summary.Warning, summary.Suppressed));
        Assert.Equal(["200.004"], summary.Sites.Single().SuppressedAlarmIds);
        Assert.False((await Alarms.UnsuppressAlarmAsync(new SuppressionRequest { SiteId = site, AlarmId = "200.004" }, operatorToken)).Suppressed);
        Assert.Equal(2, (await Alarms.GetAlarmSummaryAsync(new GetAlarmSummaryRequest { SiteId = site }, reader)).Critical);

        Assert.True((await Alarms.ClearAlarmAsync(new ClearAlarmRequest { SiteId = site, AlarmId = "200.004", EntityInstanceId = $"host={site}/worker-3" }, operatorToken)).WasActive);
        Assert.False((await Alarms.ClearAlarmAsync(new ClearAlarmRequest { SiteId = site, AlarmId = "200.004", EntityInstanceId = $"host={site}/worker-3" }, operatorToken)).WasActive);
        var gone = await Assert.ThrowsAsync<RpcException>(() => Alarms.GetAlarmAsync(new GetAlarmRequest { SiteId = site, AlarmId = "200.004", EntityInstanceId = $"host={site}/worker-3" }, reader).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, gone.StatusCode);

        var log = new List<EventLogEntry>();
        var token = string.Empty;
        do
        {
            var page = await Alarms.ListEventLogAsync(new ListEventLogRequest { SiteId = site, Page = new Page { PageSize = 2, PageToken = token } }, reader);
            Assert.True(page.Entries.Count <= 2);
            log.AddRange(page.Entries);
            token = page.NextPageToken;
        }
        while (token.Length > 0);

        Assert.Equal(
            [(EventLogKind.Set, "200.004", "worker-3"), (EventLogKind.Set, "200.004", "worker-4"), (EventLogKind.Set, "100.101", "controller-0"), (EventLogKind.Clear, "200.004", "worker-3")],
            log.Select(e => (e.Kind, e.Id, e.EntityInstanceId.Split('/')[1])));
        Assert.Equal(raised.RaisedAt, log[0].Time);
    }

    [Fact]
    public async Task Summary_WithoutASite_AddsUpEverySiteTheCallerMaySee()
    {
        var (a, b) = (await NewSiteAsync(), await NewSiteAsync());
        await Alarms.RaiseAlarmAsync(HostFailed(a), fixture.Admin);
        await Alarms.RaiseAlarmAsync(HostFailed(b), fixture.Admin);
        var minor = HostFailed(b);
        (minor.AlarmId, minor.Severity) = ("100.101", AlarmSeverity.Minor);
        await Alarms.RaiseAlarmAsync(minor, fixture.Admin);

        var scoped = await Alarms.GetAlarmSummaryAsync(new GetAlarmSummaryRequest(), fixture.As(EdgeRole.Reader, a, b));
        var everywhere = await Alarms.GetAlarmSummaryAsync(new GetAlarmSummaryRequest(), fixture.As(EdgeRole.Reader));

        Assert.Equal(new[] { a, b }.Order(StringComparer.Ordinal), scoped.Sites.Select(s => s.SiteId));
        Assert.Equal((2, 1), (scoped.Critical, scoped.Minor));
        Assert.Equal((1, 0), (scoped.Sites.Single(s => s.SiteId == a).Critical, scoped.Sites.Single(s => s.SiteId == a).Minor));
        Assert.Contains(everywhere.Sites, s => s.SiteId == a);
        Assert.True(everywhere.Critical >= 2, $"the summary over every site counts {everywhere.Critical} critical alarms");
    }

    [Fact]
    public async Task Raise_InASiteThatDoesNotExist_IsNotFoundNamingTheSite()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Alarms.RaiseAlarmAsync(HostFailed("nowhere"), fixture.Admin).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Empty((await Alarms.ListEventLogAsync(new ListEventLogRequest { SiteId = "nowhere" }, fixture.Admin)).Entries);
    }

    [Fact]
    public async Task ListAlarms_OverHttpJson_HasTheSameContentAsOverGrpc()
    {
        var site = await NewSiteAsync();
        await Alarms.RaiseAlarmAsync(HostFailed(site), fixture.Admin);
        var overGrpc = await Alarms.ListAlarmsAsync(new ListAlarmsRequest { SiteId = site }, fixture.Admin);

        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{fixture.Port + 1}/v1/sites/{site}/alarms?severity=ALARM_SEVERITY_CRITICAL");
        request.Headers.Authorization = new("Bearer", fixture.Issuer.Issue("json", EdgeRole.Reader, []).Token);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        Assert.Equal(overGrpc, JsonParser.Default.Parse<ListAlarmsResponse>(body));
    }
}
