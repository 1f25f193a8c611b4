using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Edge.Actors.Silo.Tests;

/// <summary>Grain reminders on a real silo whose reminder table is our PostgreSQL schema.</summary>
[Collection(PostgresGroup.Name)]
public sealed class SiloReminderTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Reminder_RegisteredThenUnregistered_RowIsWrittenReadBackAndRemoved()
    {
        var database = await postgres.CreateDatabaseAsync();
        var clusterId = TestSilo.NewClusterId();
        await using var silo = await StartSiloAsync(database, clusterId);
        var grain = silo.Services.GetRequiredService<IGrainFactory>().GetGrain<IReminderProbeGrain>("registers");

        await grain.RegisterAsync("hourly", TimeSpan.FromHours(1), TimeSpan.FromHours(1));

        Assert.True(await grain.HasReminderAsync("hourly"));
        Assert.Equal([("hourly", 3_600_000L)], await ReadRemindersAsync(database, clusterId));

        await grain.UnregisterAsync("hourly");

        Assert.False(await grain.HasReminderAsync("hourly"));
        Assert.Empty(await ReadRemindersAsync(database, clusterId));
    }

    [Fact]
    public async Task Reminder_ShortPeriod_FiresOnTheGrain()
    {
        await using var silo = await StartSiloAsync(await postgres.CreateDatabaseAsync(), TestSilo.NewClusterId());
        var grain = silo.Services.GetRequiredService<IGrainFactory>().GetGrain<IReminderProbeGrain>("fires");
        var ticks = silo.Services.GetRequiredService<ReminderTicks>();
        var firstTick = ticks.FirstTickAsync("fires", "tick");

        await grain.RegisterAsync("tick", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        await firstTick.WaitAsync(TimeSpan.FromSeconds(30));
        await grain.UnregisterAsync("tick");
    }

    private static Task<TestSilo> StartSiloAsync(string database, string clusterId) =>
        TestSilo.StartAsync(database, clusterId, builder =>
        {
            // The default minimum period is a minute; a test should not wait that long for a tick.
            builder.Configure<ReminderOptions>(options => options.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
            builder.Services.AddSingleton<ReminderTicks>();
        });

    private static async Task<List<(string Name, long PeriodMs)>> ReadRemindersAsync(string connectionString, string serviceId)
    {
        var rows = new List<(string, long)>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT reminder_name, period_ms FROM edge_orleans_reminders WHERE service_id = $1 ORDER BY reminder_name", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = serviceId });
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetInt64(1)));
        }

        return rows;
    }
}
