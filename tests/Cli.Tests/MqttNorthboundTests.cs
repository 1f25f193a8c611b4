using System.Diagnostics;
using Edge.Actors.TestSupport;

namespace Edge.Actors.Cli.Tests;

/// <summary>The platform's events as a monitoring system sees them on the silo's embedded MQTT broker, with Mosquitto's own client.</summary>
public sealed class MqttNorthboundTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    /// <summary>
    /// What a subscriber joining now receives on <paramref name="filter"/>: retained messages arrive at once on
    /// subscribing, so the subscription lasts a short collection window and then ends.
    /// </summary>
    private async Task<string[]> RetainedAsync(string filter)
    {
        var start = new ProcessStartInfo("mosquitto_sub")
        {
            ArgumentList = { "-h", "127.0.0.1", "-p", $"{gateway.Silo.MqttPort}", "-i", $"monitor-{Guid.NewGuid():N}"[..23], "-u", SiloProcess.MqttMonitor, "-P", SiloProcess.MqttMonitorPassword, "-t", filter, "-v", "-W", "2" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        // 27: the -W window ended, which is how this subscription is meant to end.
        Assert.True(process.ExitCode is 0 or 27, $"mosquitto_sub exited {process.ExitCode}: {await process.StandardError.ReadToEndAsync()}");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    [Fact]
    public async Task Alarms_RaisedAndCleared_AreRetainedForALateSubscriber_OnlyWhileActive()
    {
        const string Site = "mqtt-north";
        await gateway.OkAsync("site", "create", Site);
        await gateway.OkAsync("alarm", "raise", "200.004", "--site", Site, "--entity", $"host={Site}/worker-1", "--severity", "critical", "--reason", "worker-1 failed");
        await gateway.OkAsync("alarm", "raise", "100.101", "--site", Site, "--entity", $"host={Site}/worker-2", "--severity", "major", "--reason", "CPU threshold exceeded");

        var both = await Eventually.MatchAsync(() => RetainedAsync($"edge/{Site}/alarms/#"), lines => lines.Length == 2, TimeSpan.FromSeconds(30), "both alarms retained");
        Assert.Contains(both, l => l.StartsWith($"edge/{Site}/alarms/200.004/", StringComparison.Ordinal) && l.Contains("worker-1 failed", StringComparison.Ordinal));

        await gateway.OkAsync("alarm", "clear", "200.004", "--site", Site, "--entity", $"host={Site}/worker-1");
        // Published in commit order: once an alarm raised after the clear is retained, the clear has been published too.
        await gateway.OkAsync("alarm", "raise", "100.102", "--site", Site, "--entity", $"host={Site}/worker-3", "--severity", "minor", "--reason", "memory threshold exceeded");
        var after = await Eventually.MatchAsync(() => RetainedAsync($"edge/{Site}/alarms/#"), lines => lines.Any(l => l.Contains("100.102", StringComparison.Ordinal)), TimeSpan.FromSeconds(30), "the third alarm retained");

        Assert.Equal(2, after.Length);
        Assert.DoesNotContain(after, l => l.Contains("200.004", StringComparison.Ordinal));
        var site = Assert.Single(await RetainedAsync($"edge/{Site}/site/state"));
        Assert.Contains(Site, site, StringComparison.Ordinal);
    }
}
