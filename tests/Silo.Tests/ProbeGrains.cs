using System.Collections.Concurrent;

namespace Edge.Actors.Silo.Tests;

public interface IPingGrain : IGrainWithStringKey
{
    Task<string> PingAsync();
}

public sealed class PingGrain : Grain, IPingGrain
{
    public Task<string> PingAsync() => Task.FromResult(this.GetPrimaryKeyString());
}

public interface IReminderProbeGrain : IGrainWithStringKey
{
    Task RegisterAsync(string reminderName, TimeSpan dueTime, TimeSpan period);

    Task<bool> HasReminderAsync(string reminderName);

    Task UnregisterAsync(string reminderName);
}

/// <summary>Registers reminders on request and reports every tick to <see cref="ReminderTicks"/>.</summary>
public sealed class ReminderProbeGrain(ReminderTicks ticks) : Grain, IReminderProbeGrain, IRemindable
{
    public Task RegisterAsync(string reminderName, TimeSpan dueTime, TimeSpan period) =>
        this.RegisterOrUpdateReminder(reminderName, dueTime, period);

    public async Task<bool> HasReminderAsync(string reminderName) => await this.GetReminder(reminderName) is not null;

    public async Task UnregisterAsync(string reminderName)
    {
        var reminder = await this.GetReminder(reminderName) ?? throw new InvalidOperationException($"no reminder '{reminderName}'");
        await this.UnregisterReminder(reminder);
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        ticks.Record(this.GetPrimaryKeyString(), reminderName);
        return Task.CompletedTask;
    }
}

/// <summary>Lets a test wait for a reminder tick instead of sleeping: one completion per grain and reminder.</summary>
public sealed class ReminderTicks
{
    private readonly ConcurrentDictionary<(string Grain, string Reminder), TaskCompletionSource> _ticks = new();

    public Task FirstTickAsync(string grain, string reminder) => Get(grain, reminder).Task;

    public void Record(string grain, string reminder) => Get(grain, reminder).TrySetResult();

    private TaskCompletionSource Get(string grain, string reminder) =>
        _ticks.GetOrAdd((grain, reminder), _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
