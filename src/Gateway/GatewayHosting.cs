using Edge.Actors.Abstractions;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Edge.Actors.Gateway.Errors;
using Edge.Actors.Gateway.Security;
using Edge.Actors.Gateway.Services;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Edge.Actors.Gateway;

/// <summary>The gateway's wiring, shared by the silo that co-hosts it and the standalone gateway program.</summary>
public static partial class GatewayHosting
{
    /// <summary>Registers the gRPC services, tokens and Kestrel's endpoint. Throws <see cref="InvalidOperationException"/> naming the setting when it cannot serve safely.</summary>
    public static WebApplicationBuilder AddEdgeGateway(this WebApplicationBuilder builder, GatewaySettings settings)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(settings);
        var tls = settings.TlsCertificateFile is not null;
        if (!IPAddress.IsLoopback(settings.Address) && !tls && !settings.AllowInsecure)
        {
            throw new InvalidOperationException($"Edge:Gateway:Address (--grpc-address) {settings.Address} is not loopback and no TLS certificate is configured (Edge:Gateway:TlsCertificateFile, --tls-cert); tokens would cross the network in the clear. Configure TLS or allow it explicitly (--allow-insecure)");
        }

        var certificate = tls ? LoadCertificate(settings) : null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = settings.MaxRequestBytes;
            kestrel.Listen(settings.Address, settings.Port, listen =>
            {
                if (certificate is not null)
                {
                    listen.Protocols = HttpProtocols.Http1AndHttp2;
                    listen.UseHttps(certificate);
                }
                else
                {
                    // Cleartext gRPC needs HTTP/2 with prior knowledge; the HTTP/JSON view is served on the next port.
                    listen.Protocols = HttpProtocols.Http2;
                }
            });
            if (certificate is null)
            {
                kestrel.Listen(settings.Address, settings.Port + 1, listen => listen.Protocols = HttpProtocols.Http1);
            }
        });

        var issuer = new TokenIssuer(SigningKeys.Load(settings), TimeProvider.System);
        builder.Services.AddSingleton(issuer);
        builder.Services.AddSingleton(settings);
        builder.Services.AddGrpc(grpc =>
        {
            grpc.Interceptors.Add<ErrorInterceptor>();
            grpc.MaxReceiveMessageSize = settings.MaxRequestBytes;
            grpc.EnableDetailedErrors = false;
        }).AddJsonTranscoding(json =>
            // The HTTP/JSON view writes field violations (google.rpc.BadRequest) inside its error bodies.
            json.TypeRegistry = Google.Protobuf.Reflection.TypeRegistry.FromMessages(Google.Rpc.BadRequest.Descriptor));
        builder.Services.AddGrpcReflection();
        builder.Services.AddGrpcHealthChecks(health => health.UseHealthChecksCache = false)
            .AddCheck<ClusterHealthCheck>("cluster");
        builder.Services
            .AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(jwt =>
            {
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters = issuer.ValidationParameters();
            });
        builder.Services.AddAuthorization();
        builder.Services.AddHostedService<GatewayBanner>();
        builder.Services.AddPulseRelay();
        return builder;
    }

    /// <summary>Maps the services: everything but health and reflection needs a bearer token.</summary>
    public static WebApplication MapEdgeGateway(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGrpcService<SiteApi>().RequireAuthorization();
        app.MapGrpcService<HostApi>().RequireAuthorization();
        app.MapGrpcService<InstanceApi>().RequireAuthorization();
        app.MapGrpcService<PodApi>().RequireAuthorization();
        app.MapGrpcService<StorageApi>().RequireAuthorization();
        app.MapGrpcService<AlarmApi>().RequireAuthorization();
        app.MapGrpcService<DeviceApi>().RequireAuthorization();
        app.MapGrpcService<EventApi>().RequireAuthorization();
        app.MapGrpcService<TokenApi>().RequireAuthorization();
        app.MapGrpcService<HostAgentApi>().RequireAuthorization();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        return app;
    }

    private static X509Certificate2 LoadCertificate(GatewaySettings settings)
    {
        try
        {
            return X509Certificate2.CreateFromPemFile(settings.TlsCertificateFile!, settings.TlsKeyFile);
        }
        catch (Exception ex) when (ex is IOException or System.Security.Cryptography.CryptographicException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"Edge:Gateway:TlsCertificateFile (--tls-cert) '{settings.TlsCertificateFile}': {ex.Message}", ex);
        }
    }

    private sealed partial class GatewayBanner(GatewaySettings settings, TokenIssuer issuer, ILogger<GatewayBanner> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            var scheme = settings.TlsCertificateFile is null ? "http" : "https";
            LogServing(logger, $"{scheme}://{settings.Address}:{settings.Port}", settings.TlsCertificateFile is null ? $"http://{settings.Address}:{settings.Port + 1}" : $"{scheme}://{settings.Address}:{settings.Port}");
            if (SigningKeys.EnsureAdminToken(settings, issuer) is { } path)
            {
                LogAdminToken(logger, path);
            }
            else if (settings.SigningKey is null)
            {
                LogAdminTokenKept(logger, Path.GetFullPath(Path.Combine(settings.KeyFolder, SigningKeys.AdminTokenFileName)));
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(Level = LogLevel.Information, Message = "gRPC gateway serving on {Grpc} (HTTP/JSON on {Json})")]
        private static partial void LogServing(ILogger logger, string grpc, string json);

        [LoggerMessage(Level = LogLevel.Warning, Message = "First start: an admin token was written to {Path}; keep it secret")]
        private static partial void LogAdminToken(ILogger logger, string path);

        [LoggerMessage(Level = LogLevel.Information, Message = "Admin token: {Path}")]
        private static partial void LogAdminTokenKept(ILogger logger, string path);
    }
}
