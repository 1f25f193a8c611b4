using System.Globalization;
using Edge.Actors.Gateway.Protos;
using Edge.Actors.TestSupport;

namespace Edge.Actors.FaultBench;

/// <summary>What one drill measured. Detection and the alarm count from the host's last pulse; evacuation from the moment detection was seen.</summary>
internal sealed record DrillResult(int Run, string Host, int VmsMoved, int TargetHosts, long DetectMs, long AlarmMs, long EvacuateMs, long RecoverMs);

/// <summary>
/// One fault drill on a simulated host: stop its pulses, watch the gateway until the host is FAILED, alarm 200.004 is
/// raised on it and each of its VMs is ACTIVE on another host; then start its pulses again and wait until the host is
/// AVAILABLE and the alarm cleared, so that the next drill starts from a healthy site.
/// </summary>
internal sealed class FaultDrill(GatewayClient gateway, ChildProcess simulator, string site)
{
    public const string HostFailedAlarm = "200.004";

    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(10);
    // Failure is declared after 10 missed 100 ms pulses; ten times that is a detector that does not work.
    private static readonly TimeSpan DetectTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan EvacuateTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RecoverTimeout = TimeSpan.FromSeconds(30);

    private readonly Dictionary<string, int> _drilled = new(StringComparer.Ordinal);

    public async Task<DrillResult> RunAsync(int run, CancellationToken cancellationToken)
    {
        var (host, vms) = await PickAsync(cancellationToken);
        _drilled[host] = _drilled.GetValueOrDefault(host) + 1;
        var entity = $"host={site}/{host}";

        var lastPulse = ParseMs(await simulator.AskAsync($"stop {host}", $"stopped {host} ", AnswerTimeout), "last-pulse=");
        if (lastPulse == 0)
        {
            throw new InvalidOperationException($"run {run}: the simulator reports no pulse ever written for {host}");
        }

        var availability = "(no answer yet)";
        var detected = await Poll.UntilAsync(
            async token =>
            {
                var view = await gateway.GetHostAsync(site, host, token);
                availability = view.Availability.ToString();
                return view.Availability == Availability.Failed;
            },
            DetectTimeout,
            $"run {run}: host {site}/{host} FAILED after its pulses stopped",
            () => $"availability {availability}",
            cancellationToken);

        // The alarm and the evacuation are watched side by side, so that neither's polling delays the other's timestamp.
        var alarm = Poll.UntilAsync(
            async token => await gateway.FindAlarmAsync(site, HostFailedAlarm, entity, token) is not null,
            EvacuateTimeout,
            $"run {run}: alarm {HostFailedAlarm} on {entity}",
            () => "GetAlarm answered NOT_FOUND",
            cancellationToken);
        var placed = new Dictionary<string, Instance?>(StringComparer.Ordinal);
        foreach (var vm in vms)
        {
            placed[vm] = null;
        }

        var pending = new HashSet<string>(vms, StringComparer.Ordinal);
        var evacuated = Poll.UntilAsync(
            async token =>
            {
                var answers = await Task.WhenAll(pending.Select(vm => gateway.GetInstanceAsync(site, vm, token)));
                foreach (var answer in answers)
                {
                    placed[answer.Name] = answer;
                    if (answer.State == InstanceState.Active && answer.Host.Length > 0 && answer.Host != host)
                    {
                        pending.Remove(answer.Name);
                    }
                }

                return pending.Count == 0;
            },
            EvacuateTimeout,
            $"run {run}: all {vms.Count} VMs of {host} ACTIVE on another host",
            () => string.Join(", ", pending.Select(vm => placed[vm] is { } i ? $"{vm} {i.State} on {i.Host} ({i.Reason})" : $"{vm} (no answer yet)")),
            cancellationToken);
        await Task.WhenAll(alarm, evacuated);

        var firstPulse = ParseMs(await simulator.AskAsync($"start {host}", $"started {host} ", AnswerTimeout), "first-pulse=");
        var available = await Poll.UntilAsync(
            async token =>
            {
                var view = await gateway.GetHostAsync(site, host, token);
                availability = view.Availability.ToString();
                return view.Availability == Availability.Available;
            },
            RecoverTimeout,
            $"run {run}: host {site}/{host} AVAILABLE after its pulses returned",
            () => $"availability {availability}",
            cancellationToken);
        var cleared = await Poll.UntilAsync(
            async token => await gateway.FindAlarmAsync(site, HostFailedAlarm, entity, token) is null,
            RecoverTimeout,
            $"run {run}: alarm {HostFailedAlarm} on {entity} cleared after its pulses returned",
            () => "GetAlarm still finds it",
            cancellationToken);

        var targets = placed.Values.Select(i => i!.Host).Distinct(StringComparer.Ordinal).Count();
        return new DrillResult(
            run, host, vms.Count, targets, detected - lastPulse, await alarm - lastPulse, await evacuated - detected,
            firstPulse == 0 ? -1 : Math.Max(available, cleared) - firstPulse);
    }

    /// <summary>
    /// An available host that holds VMs, the least drilled first and then the one holding the most, with the VMs it
    /// holds (from its workloads in the site's ledger).
    /// </summary>
    private async Task<(string Host, IReadOnlyList<string> Vms)> PickAsync(CancellationToken cancellationToken)
    {
        var hosts = await gateway.ListHostsAsync(site, cancellationToken);
        var candidate = hosts
            .Where(h => h.Availability == Availability.Available)
            .Select(h => (h.Name, Vms: InstancesOf(h)))
            .Where(h => h.Vms.Count > 0)
            .OrderBy(h => _drilled.GetValueOrDefault(h.Name))
            .ThenByDescending(h => h.Vms.Count)
            .ThenBy(h => h.Name, StringComparer.Ordinal)
            .FirstOrDefault();
        return candidate.Name is null
            ? throw new InvalidOperationException($"no available host of site {site} holds VMs: {string.Join(", ", hosts.Select(h => $"{h.Name} {h.Availability} {h.Workloads.Count}"))}")
            : candidate;
    }

    /// <summary>The names of the VMs among a host's workloads (<c>instance/NAME</c>; pods are <c>pod/…</c>).</summary>
    public static IReadOnlyList<string> InstancesOf(Host host) =>
        [.. host.Workloads.Where(w => w.StartsWith("instance/", StringComparison.Ordinal)).Select(w => w["instance/".Length..])];

    /// <summary>The unix-ms number after <paramref name="key"/> in a simulator acknowledgement such as <c>stopped sim-0001 last-pulse=MS</c>.</summary>
    private static long ParseMs(string answer, string key)
    {
        var at = answer.IndexOf(key, StringComparison.Ordinal);
        return at >= 0 && long.TryParse(answer.AsSpan(at + key.Length).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? ms
            : throw new InvalidOperationException($"unexpected simulator answer '{answer}' (expected {key}MS)");
    }
}
