using Edge.Actors.Gateway.Protos;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace Edge.Actors.Agent;

/// <summary>
/// A real host's pulses: one long-lived StreamPulses call, a pulse written on every tick of a
/// <see cref="PeriodicTimer"/> (ticks are fixed to the start, so slow writes do not make the period drift), the
/// host's figures on a stream's first pulse and every <see cref="FiguresEvery"/>th after. When the stream breaks it
/// reconnects after a jittered backoff and keeps the sequence going; UNAUTHENTICATED and PERMISSION_DENIED end it.
/// Cancelling ends it cleanly: the stream is completed and the gateway's summary awaited briefly.
/// </summary>
internal sealed class PulseStreamer(
    GatewayConnection gateway, string site, string host, TimeSpan period, Func<HostFigures> figures, ILogger logger, TimeProvider time)
{
    public const int FiguresEvery = 10;
    private static readonly TimeSpan CompletionWait = TimeSpan.FromSeconds(2);

    private ulong _sequence;

    /// <summary>Pulses written so far, over every stream.</summary>
    public ulong Sequence => Interlocked.Read(ref _sequence);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(period, time);
        var backoff = new Backoff();
        bool? up = null;
        while (true)
        {
            var call = gateway.Agents.StreamPulses(gateway.Streaming());
            try
            {
                var onStream = 0;
                do
                {
                    var pulse = new Pulse { SiteId = site, Host = host, Sequence = _sequence + 1 };
                    if (onStream % FiguresEvery == 0)
                    {
                        pulse.Figures = figures();
                    }

                    await call.RequestStream.WriteAsync(pulse, cancellationToken);
                    Interlocked.Increment(ref _sequence);
                    onStream++;
                    if (up != true)
                    {
                        logger.StreamUp(host);
                        up = true;
                        backoff.Reset();
                    }
                }
                while (await timer.WaitForNextTickAsync(cancellationToken));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await CompleteAsync(call);
                return;
            }
            catch (RpcException ex) when (GatewayFailures.IsDenied(ex))
            {
                throw;
            }
            catch (Exception ex) when (GatewayFailures.IsStreamBroken(ex))
            {
                if (up != false)
                {
                    logger.StreamDown(host, GatewayFailures.Describe(ex));
                    up = false;
                }
            }
            finally
            {
                // Ends the call if it is still open (after completion this is a no-op).
                call.Dispose();
            }

            try
            {
                await Task.Delay(backoff.Next(), time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Tells the gateway this stream ends on purpose (a host shutting down, not a host dying) and reads its summary.</summary>
    private async Task CompleteAsync(AsyncClientStreamingCall<Pulse, PulseStreamSummary> call)
    {
        try
        {
            await call.RequestStream.CompleteAsync().WaitAsync(CompletionWait, time);
            var summary = await call.ResponseAsync.WaitAsync(CompletionWait, time);
            logger.StreamCompleted(host, summary.Received);
        }
        catch (Exception ex) when (GatewayFailures.IsStreamBroken(ex) || ex is TimeoutException or OperationCanceledException)
        {
            logger.StreamCompletionFailed(host, GatewayFailures.Describe(ex));
        }
    }
}
