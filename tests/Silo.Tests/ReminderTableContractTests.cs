using Edge.Actors.Silo.Clustering;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;

namespace Edge.Actors.Silo.Tests;

/// <summary>Orleans' own ADO.NET reminder table, resolved the way a silo registers it, driven directly against our queries.</summary>
[Collection(PostgresGroup.Name)]
public sealed class ReminderTableContractTests(PostgresFixture postgres)
{
    [Fact]
    public async Task ReminderTable_RangeReads_FollowTheRingIncludingWrapAndSignBoundaries()
    {
        var table = await CreateAsync();
        var grains = Enumerable.Range(0, 64).Select(i => GrainId.Create("probe", $"grain-{i}")).ToArray();
        foreach (var grain in grains)
        {
            await table.UpsertRow(new ReminderEntry { GrainId = grain, ReminderName = "r", StartAt = DateTime.UtcNow, Period = TimeSpan.FromMinutes(1) });
        }

        var hashes = grains.Select(g => g.GetUniformHashCode()).Order().ToArray();
        (uint Begin, uint End)[] ranges =
        [
            (0x1000_0000, 0x3000_0000),
            (0x4000_0000, 0xC000_0000), // does not wrap unsigned, crosses zero signed
            (0xC000_0000, 0x4000_0000), // wraps unsigned, does not signed
            (0xF000_0000, 0x1000_0000),
            (0x7FFF_FFFF, 0x8000_0001),
            (hashes[3], hashes[40]), // begin excluded, end included
            (hashes[50], hashes[5]),
            (hashes[20], hashes[20]), // the whole ring
        ];

        foreach (var (begin, end) in ranges)
        {
            var expected = grains.Where(g => InRing(g.GetUniformHashCode(), begin, end)).Select(g => g.ToString()).Order();
            var actual = (await table.ReadRows(begin, end)).Reminders.Select(r => r.GrainId.ToString()).Order();
            Assert.True(expected.SequenceEqual(actual), $"range ({begin:X8}, {end:X8}]: expected {string.Join(',', expected)} got {string.Join(',', actual)}");
        }
    }

    [Fact]
    public async Task ReminderTable_Etags_MoveOnEveryWriteAndOnlyTheCurrentOneDeletes()
    {
        var table = await CreateAsync();
        var grain = GrainId.Create("probe", "etags");
        var start = new DateTime(2030, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc).AddTicks(9_000);
        var longPeriod = TimeSpan.FromDays(40); // more milliseconds than an int holds

        var first = await table.UpsertRow(new ReminderEntry { GrainId = grain, ReminderName = "a", StartAt = start, Period = TimeSpan.FromMinutes(5) });
        var second = await table.UpsertRow(new ReminderEntry { GrainId = grain, ReminderName = "a", StartAt = start, Period = longPeriod });
        await table.UpsertRow(new ReminderEntry { GrainId = grain, ReminderName = "b", StartAt = start, Period = TimeSpan.FromMinutes(1) });
        Assert.NotEqual(first, second);

        var read = await table.ReadRow(grain, "a");
        Assert.NotNull(read);
        Assert.Equal((grain, "a", start, longPeriod, second), (read.GrainId, read.ReminderName, read.StartAt, read.Period, read.ETag));
        Assert.Equal(["a", "b"], (await table.ReadRows(grain)).Reminders.Select(r => r.ReminderName).Order());

        Assert.False(await table.RemoveRow(grain, "a", first!));
        Assert.True(await table.RemoveRow(grain, "a", second!));
        Assert.Null(await table.ReadRow(grain, "a"));

        await table.TestOnlyClearTable();
        Assert.Empty((await table.ReadRows(0, 0)).Reminders);
    }

    // Orleans' ring ranges are (begin, end], wrapping past uint.MaxValue; begin = end is the whole ring.
    private static bool InRing(uint hash, uint begin, uint end) =>
        begin < end ? hash > begin && hash <= end : hash > begin || hash <= end;

    private async Task<IReminderTable> CreateAsync()
    {
        var database = await postgres.CreateDatabaseAsync();
        await OrleansPostgresSchema.ApplyAsync(database, CancellationToken.None);
        var serviceId = $"service-{Guid.NewGuid():N}";
        var services = new ServiceCollection()
            .Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (serviceId, serviceId))
            .UseAdoNetReminderService(o => o.Configure(options =>
            {
                options.Invariant = PostgresClusteringExtensions.Invariant;
                options.ConnectionString = database;
            }))
            .BuildServiceProvider();
        var table = services.GetRequiredService<IReminderTable>();
        await table.StartAsync();
        return table;
    }
}
