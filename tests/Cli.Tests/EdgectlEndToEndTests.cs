using System.Text.Json;

namespace Edge.Actors.Cli.Tests;

/// <summary>
/// The edgectl program against the real silo program: every command is a child process, as a user or a script runs
/// it; outcomes are read from exit codes, stdout (JSON) and the one line on stderr.
/// </summary>
public sealed class EdgectlEndToEndTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private const string Active = "INSTANCE_STATE_ACTIVE";
    private static readonly TimeSpan WatchTimeout = TimeSpan.FromSeconds(60);

    /// <summary>A site with <paramref name="workers"/> unlocked workers of 8 vCPUs, 16 GiB and 200 GiB each.</summary>
    private async Task CreateSiteWithWorkersAsync(string site, int workers)
    {
        await gateway.OkAsync("site", "create", site, "--description", "edgectl end-to-end", "--location", "test");
        for (var i = 0; i < workers; i++)
        {
            await gateway.OkAsync("host", "add", $"worker-{i}", "--site", site, "--vcpus", "8", "--memory-mib", "16384", "--disk-gib", "200");
            await gateway.OkAsync("host", "unlock", $"worker-{i}", "--site", site);
        }
    }

    private async Task<Dictionary<string, JsonElement>> VmsAsync(string site) =>
        Json.Parse(await gateway.OkAsync("vm", "list", "--site", site, "--output", "json"))
            .GetProperty("instances").EnumerateArray()
            .ToDictionary(vm => vm.Text("name"), StringComparer.Ordinal);

    private static void AssertOneLineOnStderr(EdgectlResult result, string startsWith)
    {
        var line = Assert.Single(result.StderrLines);
        Assert.StartsWith(startsWith, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Stdout);
    }

    [Fact]
    public async Task Edgectl_LockingTheHostOfVm0_MovesEveryVmOffItKeepsThemActiveAndTheWatchSeesTheMoves()
    {
        const string Site = "lock-site";
        await CreateSiteWithWorkersAsync(Site, workers: 3);
        for (var i = 0; i < 6; i++)
        {
            await gateway.OkAsync("vm", "create", $"vm-{i}", "--site", Site, "--image", "cirros", "--flavor", "m1.small");
        }

        var before = await VmsAsync(Site);
        Assert.Equal(Enumerable.Range(0, 6).Select(i => $"vm-{i}"), before.Keys.Order(StringComparer.Ordinal));
        Assert.All(before.Values, vm => Assert.Equal(Active, vm.Text("state")));
        var lockedHost = before["vm-0"].Text("host");
        var moving = before.Values.Where(vm => vm.Text("host") == lockedHost).Select(vm => vm.Text("name")).ToList();
        Assert.Contains("vm-0", moving);

        var locked = Json.Parse(await gateway.OkAsync("host", "lock", lockedHost, "--site", Site, "--output", "json"));
        Assert.Equal("ADMINISTRATIVE_STATE_LOCKED", locked.Text("administrative"));
        Assert.Empty(locked.GetProperty("workloads").EnumerateArray());

        var after = await VmsAsync(Site);
        Assert.Equal(before.Keys.Order(StringComparer.Ordinal), after.Keys.Order(StringComparer.Ordinal));
        Assert.All(after.Values, vm =>
        {
            Assert.Equal(Active, vm.Text("state"));
            Assert.NotEqual(lockedHost, vm.Text("host"));
        });
        var vm0 = Json.Parse(await gateway.OkAsync("vm", "show", "vm-0", "--site", Site, "--output", "json"));
        Assert.Equal((after["vm-0"].Text("host"), Active), (vm0.Text("host"), vm0.Text("state")));

        // Every stream's version is its number of events, so the site's events are their sum, less the one
        // request-accepted record per accepted command (bookkeeping the watch leaves out): the site's creation,
        // three host adds and unlocks, and the lock (a VM create carries its request id in its one event).
        const int AcceptedCommands = 1 + 3 * 2 + 1;
        var site = Json.Parse(await gateway.OkAsync("site", "show", Site, "--output", "json"));
        var hosts = Json.Parse(await gateway.OkAsync("host", "list", "--site", Site, "--output", "json")).GetProperty("hosts").EnumerateArray();
        var expected = site.Int64("version") + hosts.Sum(h => h.Int64("version")) + after.Values.Sum(vm => vm.Int64("version")) - AcceptedCommands;
        var watch = await gateway.AsAdminAsync("events", "watch", "--from", "0", "--site", Site, "--count", $"{expected}", "--output", "json", "--timeout", $"{WatchTimeout.TotalSeconds}");
        Assert.True(watch.ExitCode == 0, watch.ToString());
        var events = watch.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Json.Parse).ToList();

        Assert.Equal(expected, events.Count);
        Assert.All(events, e => Assert.Equal(Site, e.Text("siteId")));
        var positions = events.Select(e => e.Int64("position")).ToList();
        Assert.Equal(positions.Order(), positions);
        Assert.Equal(positions.Count, positions.Distinct().Count());
        Assert.Contains(events, e => e.Text("type") == "edge.host-locked" && e.Text("stream") == $"host/{Site}/{lockedHost}");
        foreach (var name in moving)
        {
            var migrated = Assert.Single(events, e => e.Text("type") == "edge.instance-migrated" && e.Text("stream") == $"instance/{Site}/{name}");
            var move = Json.Parse(migrated.Text("json"));
            Assert.Equal((lockedHost, after[name].Text("host")), (move.Text("fromHost"), move.Text("toHost")));
        }

        // With one worker left unlocked, locking it is refused: its VMs have nowhere to go.
        var others = Enumerable.Range(0, 3).Select(i => $"worker-{i}").Where(h => h != lockedHost).ToList();
        await gateway.OkAsync("host", "lock", others[0], "--site", Site);
        var refused = await gateway.AsAdminAsync("host", "lock", others[1], "--site", Site);
        Assert.True(refused.ExitCode == 5, refused.ToString());
        AssertOneLineOnStderr(refused, "edgectl: FAILED_PRECONDITION: ");
    }

    [Fact]
    public async Task Edgectl_Device_ProvisionShowListRulesAndDeleteWithExitCodes()
    {
        const string Site = "device-site";
        await gateway.OkAsync("site", "create", Site);

        var provisioned = Json.Parse(await gateway.OkAsync("device", "provision", "thermo-1", "--site", Site, "--service", "device-modbus", "--profile", "thermo", "--rule", "temperature:above:80:2:critical", "--rule", "temperature:below:5", "--offline-window", "30", "--output", "json"));
        Assert.Equal(("device-modbus", "thermo", 30L), (provisioned.Text("service"), provisioned.Text("profile"), provisioned.Int64("offlineWindowSeconds")));
        var rules = provisioned.GetProperty("rules").EnumerateArray().ToList();
        Assert.Equal(("THRESHOLD_DIRECTION_ABOVE", "ALARM_SEVERITY_CRITICAL"), (rules[0].Text("direction"), rules[0].Text("severity")));
        Assert.Equal(("THRESHOLD_DIRECTION_BELOW", "ALARM_SEVERITY_MAJOR"), (rules[1].Text("direction"), rules[1].Text("severity")));

        var table = await gateway.OkAsync("device", "show", "thermo-1", "--site", Site);
        Assert.Contains("thermo-1", table, StringComparison.Ordinal);
        Assert.Contains("temperature", table, StringComparison.Ordinal);
        var listed = Json.Parse(await gateway.OkAsync("device", "list", "--site", Site, "--output", "json")).GetProperty("devices").EnumerateArray();
        Assert.Equal(["thermo-1"], listed.Select(d => d.Text("name")));

        var changed = Json.Parse(await gateway.OkAsync("device", "rules", "thermo-1", "--site", Site, "--rule", "humidity:above:90", "--output", "json"));
        Assert.Equal(["humidity"], changed.GetProperty("rules").EnumerateArray().Select(r => r.Text("resource")));

        var badRule = await gateway.AsAdminAsync("device", "rules", "thermo-1", "--site", Site, "--rule", "humidity:above:90:-1");
        Assert.True(badRule.ExitCode == 6, badRule.ToString());
        AssertOneLineOnStderr(badRule, "edgectl: INVALID_ARGUMENT: ");
        Assert.Contains("rules[0].hysteresis", badRule.Stderr, StringComparison.Ordinal);

        var twice = await gateway.AsAdminAsync("device", "provision", "thermo-1", "--site", Site, "--service", "device-modbus", "--profile", "thermo");
        Assert.True(twice.ExitCode == 4, twice.ToString());

        await gateway.OkAsync("device", "delete", "thermo-1", "--site", Site);
        var gone = await gateway.AsAdminAsync("device", "show", "thermo-1", "--site", Site);
        Assert.True(gone.ExitCode == 3, gone.ToString());
        AssertOneLineOnStderr(gone, "edgectl: NOT_FOUND: ");
    }

    [Fact]
    public async Task Edgectl_ReaderTokenCreatingAVm_IsDeniedWithExitCode7AndOneLine()
    {
        const string Site = "reader-site";
        await CreateSiteWithWorkersAsync(Site, workers: 1);
        var token = (await gateway.OkAsync("token", "create", "--role", "reader", "--sites", Site, "--ttl", "600")).Trim();
        Assert.DoesNotContain('\n', token);

        var read = await gateway.WithTokenAsync(token, "site", "show", Site, "--output", "json");
        Assert.True(read.ExitCode == 0, read.ToString());
        Assert.Equal(Site, Json.Parse(read.Stdout).Text("siteId"));

        var denied = await gateway.WithTokenAsync(token, "vm", "create", "vm-denied", "--site", Site, "--image", "cirros");
        Assert.True(denied.ExitCode == 7, denied.ToString());
        AssertOneLineOnStderr(denied, "edgectl: PERMISSION_DENIED: ");
        Assert.Empty(await VmsAsync(Site));
    }

    [Fact]
    public async Task Edgectl_WithoutAToken_IsRefusedWithExitCode7()
    {
        var refused = await Edgectl.RunAsync("site", "list", "--endpoint", gateway.Endpoint);

        Assert.True(refused.ExitCode == 7, refused.ToString());
        AssertOneLineOnStderr(refused, "edgectl: UNAUTHENTICATED: ");
    }

    public static TheoryData<string[], string> BadInputs => new()
    {
        { ["host", "add", "bad-host", "--site", "input-site", "--vcpus", "0", "--memory-mib", "1024", "--disk-gib", "10"], "vcpus: " },
        { ["vm", "create", "Not_A_Name", "--site", "input-site", "--image", "cirros"], "name: " },
        { ["vm", "create", "vm-custom", "--site", "input-site", "--image", "cirros", "--flavor", "custom"], "flavor.vcpus: " },
        { ["site", "create", "input-site", "--description", new string('x', 300)], "description: " },
        { ["token", "create", "--role", "reader", "--ttl", "-1"], "ttl_seconds: " },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Edgectl_BadInput_ExitsWith6NamingTheField(string[] arguments, string field)
    {
        var refused = await gateway.AsAdminAsync(arguments);

        Assert.True(refused.ExitCode == 6, refused.ToString());
        AssertOneLineOnStderr(refused, $"edgectl: INVALID_ARGUMENT: {field}");
    }

    [Fact]
    public async Task Edgectl_ShowingAMissingVm_ExitsWith3()
    {
        await gateway.OkAsync("site", "create", "empty-site");

        var missing = await gateway.AsAdminAsync("vm", "show", "no-such-vm", "--site", "empty-site");

        Assert.True(missing.ExitCode == 3, missing.ToString());
        AssertOneLineOnStderr(missing, "edgectl: NOT_FOUND: ");
    }

    [Fact]
    public async Task Edgectl_VmCreateRetriedWithItsRequestId_IsAppliedOnceWhileANewRequestIdIsAlreadyExists()
    {
        const string Site = "retry-site";
        await CreateSiteWithWorkersAsync(Site, workers: 2);
        var requestId = Guid.NewGuid().ToString();

        var first = Json.Parse(await gateway.OkAsync("vm", "create", "vm-once", "--site", Site, "--image", "cirros", "--request-id", requestId, "--output", "json"));
        var retried = Json.Parse(await gateway.OkAsync("vm", "create", "vm-once", "--site", Site, "--image", "cirros", "--request-id", requestId, "--output", "json"));
        var again = await gateway.AsAdminAsync("vm", "create", "vm-once", "--site", Site, "--image", "cirros");

        Assert.Equal((first.Text("host"), first.Int64("version")), (retried.Text("host"), retried.Int64("version")));
        Assert.True(again.ExitCode == 4, again.ToString());
        AssertOneLineOnStderr(again, "edgectl: ALREADY_EXISTS: ");
        Assert.Equal(["vm-once"], (await VmsAsync(Site)).Keys);
    }

    [Fact]
    public async Task Edgectl_AlarmRaisedSuppressedAndCleared_ShowsInListSummaryAndEventLog()
    {
        const string Site = "alarm-site";
        await gateway.OkAsync("site", "create", Site);
        var worker = $"host={Site}/worker-3";
        await gateway.OkAsync("alarm", "raise", "200.004", "--site", Site, "--entity", worker, "--severity", "critical", "--reason", "worker-3 failed", "--repair-action", "lock and unlock the host", "--service-affecting");
        await gateway.OkAsync("alarm", "raise", "200.004", "--site", Site, "--entity", worker, "--severity", "critical", "--reason", "worker-3 failed", "--repair-action", "lock and unlock the host", "--service-affecting");
        await gateway.OkAsync("alarm", "raise", "100.101", "--site", Site, "--entity", $"host={Site}/controller-0", "--severity", "major", "--reason", "CPU threshold exceeded");

        var shown = Json.Parse(await gateway.OkAsync("alarm", "show", "200.004", "--site", Site, "--entity", worker, "--output", "json"));
        Assert.Equal(("ALARM_SEVERITY_CRITICAL", "lock and unlock the host"), (shown.Text("severity"), shown.Text("proposedRepairAction")));
        var table = await gateway.OkAsync("alarm", "list", "--site", Site);
        Assert.Contains(table.Split('\n'), line => line.StartsWith("200.004", StringComparison.Ordinal) && line.Contains("critical", StringComparison.Ordinal) && line.Contains(worker, StringComparison.Ordinal));

        await gateway.OkAsync("alarm", "suppress", "100.101", "--site", Site);
        var listed = Json.Parse(await gateway.OkAsync("alarm", "list", "--site", Site, "--output", "json")).GetProperty("alarms").EnumerateArray().Select(a => a.Text("alarmId"));
        Assert.Equal(["200.004"], listed);
        var summary = Json.Parse(await gateway.OkAsync("alarm", "summary", "--site", Site, "--output", "json"));
        Assert.Equal((1L, 0L, 1L), (summary.Int64("critical"), summary.Int64("major"), summary.Int64("suppressed")));

        var reader = (await gateway.OkAsync("token", "create", "--role", "reader", "--sites", Site, "--ttl", "600")).Trim();
        var denied = await gateway.WithTokenAsync(reader, "alarm", "unsuppress", "100.101", "--site", Site);
        Assert.True(denied.ExitCode == 7, denied.ToString());
        AssertOneLineOnStderr(denied, "edgectl: PERMISSION_DENIED: ");
        var badId = await gateway.AsAdminAsync("alarm", "suppress", "100-101", "--site", Site);
        Assert.True(badId.ExitCode == 6, badId.ToString());
        AssertOneLineOnStderr(badId, "edgectl: INVALID_ARGUMENT: alarm_id: ");

        Assert.Contains("cleared", await gateway.OkAsync("alarm", "clear", "200.004", "--site", Site, "--entity", worker), StringComparison.Ordinal);
        Assert.Contains("was not active", await gateway.OkAsync("alarm", "clear", "200.004", "--site", Site, "--entity", worker), StringComparison.Ordinal);
        var missing = await gateway.AsAdminAsync("alarm", "show", "200.004", "--site", Site, "--entity", worker);
        Assert.True(missing.ExitCode == 3, missing.ToString());
        AssertOneLineOnStderr(missing, "edgectl: NOT_FOUND: ");

        var readerLog = await gateway.WithTokenAsync(reader, "event-log", "list", "--site", Site, "--output", "json");
        Assert.True(readerLog.ExitCode == 0, readerLog.ToString());
        var log = Json.Parse(readerLog.Stdout).GetProperty("entries").EnumerateArray().Select(e => (e.Text("kind"), e.Text("id"))).ToList();
        Assert.Equal([("EVENT_LOG_KIND_SET", "200.004"), ("EVENT_LOG_KIND_SET", "100.101"), ("EVENT_LOG_KIND_CLEAR", "200.004")], log);
    }
}
