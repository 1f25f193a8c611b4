using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Edge.Actors.EventStore;

/// <summary>One append waiting for the next shared commit.</summary>
internal sealed class PendingAppend(string streamId, long expectedVersion, IReadOnlyList<EventData> events, int payloadBytes)
{
    public string StreamId { get; } = streamId;

    public long ExpectedVersion { get; } = expectedVersion;

    public IReadOnlyList<EventData> Events { get; } = events;

    public int PayloadBytes { get; } = payloadBytes;

    public TaskCompletionSource<AppendResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>What a backend did with one append of a shared commit: a result, or the reused-ids refusal.</summary>
internal readonly record struct BatchItemOutcome(AppendResult? Result, bool DuplicateEventIds)
{
    public static BatchItemOutcome Of(AppendResult result) => new(result, false);

    public static readonly BatchItemOutcome Duplicate = new(null, true);
}

/// <summary>A backend's way to commit many appends (of any streams) in one transaction.</summary>
internal interface IBatchWriter
{
    /// <summary>Commits the batch atomically; each append is checked against its own expected version in order.</summary>
    Task<IReadOnlyList<BatchItemOutcome>> CommitAsync(IReadOnlyList<PendingAppend> batch, CancellationToken cancellationToken);

    /// <summary>True when the failure may pass if the same batch is tried again (connection loss, lock timeout).</summary>
    bool IsTransient(Exception exception);
}

/// <summary>
/// Group commit: appends from every caller queue here and one loop commits whatever is waiting in a single
/// transaction, so one durable flush acknowledges many appends and throughput grows with concurrency.
/// A batch is retried whole on transient failure; that is safe because a stored event id is recognised
/// (<see cref="AppendOutcome.AlreadyAppended"/>) rather than stored twice.
/// </summary>
internal sealed class GroupCommitter : IAsyncDisposable
{
    private readonly IBatchWriter _writer;
    private readonly EventStoreOptions _options;
    private readonly ILogger _logger;
    private readonly Channel<PendingAppend> _queue = Channel.CreateUnbounded<PendingAppend>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly ResiliencePipeline _retry;
    private readonly Task _loop;

    public GroupCommitter(IBatchWriter writer, EventStoreOptions options, ILogger logger)
    {
        _writer = writer;
        _options = options;
        _logger = logger;
        _retry = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(writer.IsTransient),
                MaxRetryAttempts = Math.Max(1, options.MaxCommitRetries),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(50),
                MaxDelay = TimeSpan.FromSeconds(2),
                OnRetry = args =>
                {
                    _logger.CommitRetrying(args.Outcome.Exception, args.AttemptNumber + 1);
                    return default;
                },
            })
            .Build();
        _loop = Task.Run(RunAsync);
    }

    public Task<AppendResult> SubmitAsync(PendingAppend append, CancellationToken cancellationToken)
    {
        if (!_queue.Writer.TryWrite(append))
        {
            throw new ObjectDisposedException(nameof(IEventStore), "the event store is closed");
        }

        return append.Completion.Task.WaitAsync(cancellationToken);
    }

    private async Task RunAsync()
    {
        var batch = new List<PendingAppend>();
        var streams = new HashSet<string>(StringComparer.Ordinal);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            streams.Clear();
            var events = 0;
            var bytes = 0;
            // At most one append per stream in a group: a backend checks every append against its stream as it was
            // before the group, so a second append to the same stream waits for the next group.
            while (events < _options.MaxBatchEvents && bytes < _options.MaxBatchBytes
                && reader.TryPeek(out var next) && streams.Add(next.StreamId) && reader.TryRead(out var append))
            {
                batch.Add(append);
                events += append.Events.Count;
                bytes += append.PayloadBytes;
            }

            await CommitAsync(batch).ConfigureAwait(false);
        }
    }

    private async Task CommitAsync(List<PendingAppend> batch)
    {
        try
        {
            var outcomes = await _retry.ExecuteAsync(
                static async (state, token) => await state.Writer.CommitAsync(state.Batch, token).ConfigureAwait(false),
                (Writer: _writer, Batch: batch),
                _stopping.Token).ConfigureAwait(false);
            for (var i = 0; i < batch.Count; i++)
            {
                if (outcomes[i].Result is { } result)
                {
                    batch[i].Completion.TrySetResult(result);
                }
                else
                {
                    batch[i].Completion.TrySetException(new DuplicateEventIdException(batch[i].StreamId));
                }
            }
        }
        catch (Exception ex) when (batch.Count > 1 && !_writer.IsTransient(ex) && ex is not OperationCanceledException)
        {
            // One append the database refuses (say, a payload that is not JSON) must not fail the others
            // that happened to share its transaction: commit them one by one.
            foreach (var append in batch)
            {
                await CommitAsync([append]).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            var failure = _writer.IsTransient(ex) || ex is OperationCanceledException
                ? new EventStoreUnavailableException("the event store did not commit after retrying; the outcome is unknown until the append is retried with the same event ids", ex)
                : ex;
            _logger.CommitFailed(ex, batch.Count);
            foreach (var append in batch)
            {
                append.Completion.TrySetException(failure);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        // Give queued appends their commit; a store that is unreachable stops retrying after a bounded wait.
        _stopping.CancelAfter(TimeSpan.FromSeconds(10));
        await _loop.ConfigureAwait(false);
        _stopping.Dispose();
    }
}
