using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Edge.Actors.Mqtt.Bridge;

/// <summary>
/// Lets the messages of many topics be handled at once while keeping MQTT's own promise: messages of one topic are
/// handled one after another in the order they arrived. Acknowledgements go out in arrival order too (as MQTT asks of
/// a QoS 1 receiver), each only once its message has been handled; a message whose handling failed is left
/// unacknowledged, so the broker delivers it again on the next session. At most <c>capacity</c> messages are in hand,
/// which holds back the client's receive loop and through it the broker.
/// </summary>
internal sealed partial class TopicPipeline : IAsyncDisposable
{
    private readonly SemaphoreSlim _slots;
    private readonly Dictionary<string, Task> _lastOfTopic = new(StringComparer.Ordinal);
    private readonly Channel<InHand> _arrivals = Channel.CreateUnbounded<InHand>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ILogger _logger;
    private readonly Task _acknowledging;

    public TopicPipeline(int capacity, ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _slots = new SemaphoreSlim(capacity, capacity);
        _logger = logger;
        _acknowledging = Task.Run(AcknowledgeInOrderAsync);
    }

    /// <summary>
    /// Takes one message: returns once it is in hand (waiting while the pipeline is full), not once it is handled.
    /// </summary>
    public async Task EnqueueAsync(string topic, Func<Task> handle, Func<Task> acknowledge, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        Task handled;
        lock (_lastOfTopic)
        {
            handled = HandleAfterAsync(_lastOfTopic.GetValueOrDefault(topic), handle);
            _lastOfTopic[topic] = handled;
        }

        if (!_arrivals.Writer.TryWrite(new InHand(topic, handled, acknowledge)))
        {
            _slots.Release();
            throw new ObjectDisposedException(nameof(TopicPipeline));
        }
    }

    private static async Task HandleAfterAsync(Task? previous, Func<Task> handle)
    {
        if (previous is not null)
        {
            // The previous message's failure is its own (it stays unacknowledged); this one is still handled.
            await previous.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        await handle();
    }

    private async Task AcknowledgeInOrderAsync()
    {
        await foreach (var message in _arrivals.Reader.ReadAllAsync())
        {
            try
            {
                if (await HandledAsync(message))
                {
                    await message.Acknowledge();
                }
            }
            catch (Exception ex)
            {
                // The connection it came on is gone; the broker delivers it again on the next session.
                LogAcknowledgeFailed(_logger, message.Topic, ex.Message);
            }
            finally
            {
                lock (_lastOfTopic)
                {
                    if (_lastOfTopic.TryGetValue(message.Topic, out var last) && last == message.Handled)
                    {
                        _lastOfTopic.Remove(message.Topic);
                    }
                }

                _slots.Release();
            }
        }
    }

    private async Task<bool> HandledAsync(InHand message)
    {
        try
        {
            await message.Handled;
            return true;
        }
        catch (OperationCanceledException)
        {
            // Stopping: left for the broker to deliver again.
            return false;
        }
        catch (Exception ex)
        {
            LogNotHandled(_logger, ex, message.Topic);
            return false;
        }
    }

    /// <summary>Takes no more messages and waits for those in hand to be handled (or to fail) and acknowledged.</summary>
    public async ValueTask DisposeAsync()
    {
        _arrivals.Writer.TryComplete();
        await _acknowledging;
        _slots.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "MQTT message on {Topic} was not handled; left unacknowledged for redelivery")]
    private static partial void LogNotHandled(ILogger logger, Exception exception, string topic);

    [LoggerMessage(Level = LogLevel.Debug, Message = "MQTT message on {Topic} was handled but its acknowledgement not sent ({Reason}); the broker delivers it again")]
    private static partial void LogAcknowledgeFailed(ILogger logger, string topic, string reason);

    private readonly record struct InHand(string Topic, Task Handled, Func<Task> Acknowledge);
}
