using System.Collections.Concurrent;
using System.Net;
using Edge.Actors.Gateway.Protos;
using Edge.Actors.TestSupport;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Edge.Actors.Agent.Tests;

/// <summary>A pulse as the stand-in gateway received it, with when (unix ms) and on which stream.</summary>
internal sealed record ReceivedPulse(string Host, ulong Sequence, HostFigures? Figures, long AtUnixMs, int Stream);

/// <summary>How a pulse stream ended at the gateway: completed by the agent, or abandoned (reset, cancelled).</summary>
internal sealed record StreamEnd(string? Host, int Stream, bool Completed);

/// <summary>
/// The gateway's HostService and HostAgentService, just enough of them, on Kestrel over a loopback port: it records
/// what agents ask and send, and can refuse a token or drop pulse streams.
/// </summary>
internal sealed class FakeGateway : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeGateway(WebApplication app, FakeGatewayState state, Uri address)
    {
        _app = app;
        State = state;
        Address = address;
    }

    public FakeGatewayState State { get; }

    public Uri Address { get; }

    public static async Task<FakeGateway> StartAsync(FakeGatewayState state)
    {
        var port = LoopbackPorts.Free();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(state);
        var app = builder.Build();
        app.MapGrpcService<FakeHostApi>();
        app.MapGrpcService<FakeAgentApi>();
        await app.StartAsync();
        return new FakeGateway(app, state, new Uri($"http://127.0.0.1:{port}"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

internal sealed class FakeGatewayState
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<ReceivedPulse>> _byHost = new(StringComparer.Ordinal);
    private int _streams;

    public int PeriodMs { get; init; } = 100;

    /// <summary>When set, calls without <c>Bearer</c> this token are refused UNAUTHENTICATED.</summary>
    public string? RequiredToken { get; init; }

    public ConcurrentDictionary<string, Host> Hosts { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<AddHostRequest> Added { get; } = new();

    public ConcurrentQueue<HostCommandRequest> Unlocked { get; } = new();

    public ConcurrentQueue<ReceivedPulse> Pulses { get; } = new();

    public ConcurrentQueue<StreamEnd> Ends { get; } = new();

    /// <summary>When it answers true for a pulse just received, the gateway ends that stream with UNAVAILABLE.</summary>
    public Func<ReceivedPulse, bool> DropWhen { get; set; } = _ => false;

    public IReadOnlyList<ReceivedPulse> PulsesOf(string host) => _byHost.TryGetValue(host, out var pulses) ? [.. pulses] : [];

    public void Record(ReceivedPulse pulse)
    {
        Pulses.Enqueue(pulse);
        _byHost.GetOrAdd(pulse.Host, _ => new ConcurrentQueue<ReceivedPulse>()).Enqueue(pulse);
    }

    public int NextStream() => Interlocked.Increment(ref _streams);

    public void Authorize(ServerCallContext context)
    {
        if (RequiredToken is not null && context.RequestHeaders.GetValue("authorization") != $"Bearer {RequiredToken}")
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "Bad gRPC response. HTTP status code: 401"));
        }
    }
}

internal sealed class FakeHostApi(FakeGatewayState state) : HostService.HostServiceBase
{
    public override Task<Host> GetHost(GetHostRequest request, ServerCallContext context)
    {
        state.Authorize(context);
        return state.Hosts.TryGetValue(request.Name, out var host)
            ? Task.FromResult(host)
            : throw new RpcException(new Status(StatusCode.NotFound, $"host {request.Name} not found"));
    }

    public override Task<Host> AddHost(AddHostRequest request, ServerCallContext context)
    {
        state.Authorize(context);
        state.Added.Enqueue(request);
        var host = new Host { SiteId = request.SiteId, Name = request.Name, Personality = request.Personality, Administrative = AdministrativeState.Locked };
        return state.Hosts.TryAdd(request.Name, host)
            ? Task.FromResult(host)
            : throw new RpcException(new Status(StatusCode.AlreadyExists, $"host {request.Name} exists"));
    }

    public override Task<Host> UnlockHost(HostCommandRequest request, ServerCallContext context)
    {
        state.Authorize(context);
        state.Unlocked.Enqueue(request);
        var host = state.Hosts[request.Name];
        host.Administrative = AdministrativeState.Unlocked;
        return Task.FromResult(host);
    }
}

internal sealed class FakeAgentApi(FakeGatewayState state) : HostAgentService.HostAgentServiceBase
{
    public override Task<PulseSettings> GetPulseSettings(GetPulseSettingsRequest request, ServerCallContext context)
    {
        state.Authorize(context);
        return Task.FromResult(new PulseSettings { PeriodMs = state.PeriodMs, DegradeAfterMissed = 3, FailAfterMissed = 6 });
    }

    public override async Task<PulseStreamSummary> StreamPulses(IAsyncStreamReader<Pulse> requestStream, ServerCallContext context)
    {
        state.Authorize(context);
        var stream = state.NextStream();
        string? host = null;
        ulong received = 0;
        try
        {
            await foreach (var pulse in requestStream.ReadAllAsync(context.CancellationToken))
            {
                host = pulse.Host;
                received++;
                var seen = new ReceivedPulse(pulse.Host, pulse.Sequence, pulse.Figures, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), stream);
                state.Record(seen);
                if (state.DropWhen(seen))
                {
                    state.Ends.Enqueue(new StreamEnd(host, stream, Completed: false));
                    throw new RpcException(new Status(StatusCode.Unavailable, "dropped by the test"));
                }
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            state.Ends.Enqueue(new StreamEnd(host, stream, Completed: false));
            throw;
        }

        state.Ends.Enqueue(new StreamEnd(host, stream, Completed: true));
        return new PulseStreamSummary { Received = received };
    }
}
