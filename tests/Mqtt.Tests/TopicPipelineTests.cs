using System.Collections.Concurrent;
using Edge.Actors.Mqtt.Bridge;
using Microsoft.Extensions.Logging.Abstractions;

namespace Edge.Actors.Mqtt.Tests;

/// <summary>The bridge's handling order: concurrent across topics, in order within one, acknowledged in arrival order.</summary>
public sealed class TopicPipelineTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private sealed class Recorder
    {
        public ConcurrentQueue<string> Handled { get; } = new();

        public ConcurrentQueue<string> Acknowledged { get; } = new();

        public Func<Task> Acknowledge(string message) => () =>
        {
            Acknowledged.Enqueue(message);
            return Task.CompletedTask;
        };
    }

    [Fact]
    public async Task A_held_message_does_not_hold_up_another_topic_but_holds_its_own()
    {
        var recorder = new Recorder();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var otherHandled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (var pipeline = new TopicPipeline(16, NullLogger.Instance))
        {
            await pipeline.EnqueueAsync("a", async () => { await release.Task; recorder.Handled.Enqueue("a1"); }, recorder.Acknowledge("a1"), CancellationToken.None);
            await pipeline.EnqueueAsync("a", () => { recorder.Handled.Enqueue("a2"); return Task.CompletedTask; }, recorder.Acknowledge("a2"), CancellationToken.None);
            await pipeline.EnqueueAsync("b", () => { recorder.Handled.Enqueue("b1"); otherHandled.SetResult(); return Task.CompletedTask; }, recorder.Acknowledge("b1"), CancellationToken.None);

            await otherHandled.Task.WaitAsync(Timeout);
            Assert.Equal(["b1"], recorder.Handled);
            // Handled, but acknowledged only after the two messages that arrived before it.
            Assert.Empty(recorder.Acknowledged);
            release.SetResult();
        }

        Assert.Equal(["b1", "a1", "a2"], recorder.Handled);
        Assert.Equal(["a1", "a2", "b1"], recorder.Acknowledged);
    }

    [Fact]
    public async Task Messages_of_one_topic_are_handled_one_at_a_time_in_arrival_order()
    {
        var recorder = new Recorder();
        var running = 0;
        var overlapped = false;
        await using (var pipeline = new TopicPipeline(8, NullLogger.Instance))
        {
            for (var i = 0; i < 200; i++)
            {
                var message = $"{i}";
                await pipeline.EnqueueAsync("device/one", async () =>
                {
                    overlapped |= Interlocked.Increment(ref running) > 1;
                    await Task.Yield();
                    recorder.Handled.Enqueue(message);
                    Interlocked.Decrement(ref running);
                }, recorder.Acknowledge(message), CancellationToken.None);
            }
        }

        Assert.False(overlapped, "two messages of one topic were handled at once");
        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"{i}"), recorder.Handled);
        Assert.Equal(recorder.Handled, recorder.Acknowledged);
    }

    [Fact]
    public async Task A_message_whose_handling_fails_stays_unacknowledged_and_the_rest_go_on()
    {
        var recorder = new Recorder();
        await using (var pipeline = new TopicPipeline(4, NullLogger.Instance))
        {
            await pipeline.EnqueueAsync("t", () => Task.FromException(new InvalidOperationException("bad")), recorder.Acknowledge("failed"), CancellationToken.None);
            await pipeline.EnqueueAsync("t", () => { recorder.Handled.Enqueue("next"); return Task.CompletedTask; }, recorder.Acknowledge("next"), CancellationToken.None);
            await pipeline.EnqueueAsync("u", () => { recorder.Handled.Enqueue("other"); return Task.CompletedTask; }, recorder.Acknowledge("other"), CancellationToken.None);
        }

        Assert.Equal(["next", "other"], recorder.Handled.Order());
        Assert.Equal(["next", "other"], recorder.Acknowledged);
    }

    [Fact]
    public async Task A_full_pipeline_takes_the_next_message_only_when_one_is_acknowledged()
    {
        var recorder = new Recorder();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var pipeline = new TopicPipeline(2, NullLogger.Instance);
        await pipeline.EnqueueAsync("a", () => release.Task, recorder.Acknowledge("a"), CancellationToken.None);
        await pipeline.EnqueueAsync("b", () => Task.CompletedTask, recorder.Acknowledge("b"), CancellationToken.None);

        var third = pipeline.EnqueueAsync("c", () => Task.CompletedTask, recorder.Acknowledge("c"), CancellationToken.None);
        // Nothing can be acknowledged while "a" is held ("b" is acknowledged after it), so no slot can free up for "c".
        Assert.False(third.IsCompleted);
        Assert.Empty(recorder.Acknowledged);

        release.SetResult();
        await third.WaitAsync(Timeout);
        Assert.Contains("a", recorder.Acknowledged);
    }
}
