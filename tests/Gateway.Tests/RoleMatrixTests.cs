using System.Security.Cryptography;
using Edge.Actors.Gateway.Protos;
using Edge.Actors.Gateway.Security;
using Grpc.Core;
using Microsoft.IdentityModel.Tokens;

namespace Edge.Actors.Gateway.Tests;

/// <summary>Every method against every kind of caller: no token, a forged or expired one, each role, and a token scoped to other sites.</summary>
[Collection(GatewayGroup.Name)]
public sealed class RoleMatrixTests(GatewayFixture fixture) : IAsyncLifetime
{
    private const string Site = "matrix";

    public async Task InitializeAsync()
    {
        await new SiteService.SiteServiceClient(fixture.Channel).CreateSiteAsync(new CreateSiteRequest { RequestId = "matrix-site", SiteId = Site }, fixture.Admin);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public static TheoryData<ApiCall> Methods() => [.. ApiCall.All];

    private sealed class PastClock(TimeSpan ago) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => DateTimeOffset.UtcNow - ago;
    }

    private static async Task<StatusCode> StatusOfAsync(Func<Task> call)
    {
        try
        {
            await call();
            return StatusCode.OK;
        }
        catch (RpcException ex)
        {
            return ex.StatusCode;
        }
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task Method_ForEveryKindOfCaller_AnswersAsTheRoleAllows(ApiCall call)
    {
        var forged = new TokenIssuer(new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)), TimeProvider.System).Issue("forger", EdgeRole.Admin, []).Token;
        var expired = new TokenIssuer(fixture.Issuer.Key, new PastClock(TimeSpan.FromDays(2))).Issue("late", EdgeRole.Admin, [], TimeSpan.FromHours(1)).Token;

        Assert.Equal(StatusCode.Unauthenticated, await StatusOfAsync(() => call.Invoke(fixture.Channel, [], Site)));
        Assert.Equal(StatusCode.Unauthenticated, await StatusOfAsync(() => call.Invoke(fixture.Channel, GatewayFixture.Bearer(forged), Site)));
        Assert.Equal(StatusCode.Unauthenticated, await StatusOfAsync(() => call.Invoke(fixture.Channel, GatewayFixture.Bearer(expired), Site)));
        Assert.Equal(StatusCode.Unauthenticated, await StatusOfAsync(() => call.Invoke(fixture.Channel, GatewayFixture.Bearer("not.a.jwt"), Site)));
        foreach (var role in Enum.GetValues<EdgeRole>())
        {
            var status = await StatusOfAsync(() => call.Invoke(fixture.Channel, fixture.As(role), Site));
            if (role < call.Needs)
            {
                Assert.True(status == StatusCode.PermissionDenied, $"{call.Method} as {role}: expected PermissionDenied, got {status}");
            }
            else
            {
                Assert.True(status is not (StatusCode.PermissionDenied or StatusCode.Unauthenticated or StatusCode.Internal or StatusCode.Unknown), $"{call.Method} as {role}: got {status}");
            }
        }

        if (call.Method is not ("SiteService.ListSites"))
        {
            var outside = await StatusOfAsync(() => call.Invoke(fixture.Channel, fixture.As(EdgeRole.Admin, "some-other-site"), Site));
            Assert.True(outside == StatusCode.PermissionDenied, $"{call.Method} with a token for another site: expected PermissionDenied, got {outside}");
        }
    }

    [Fact]
    public async Task ListSites_WithAScopedToken_ShowsOnlyItsSites()
    {
        var sites = new SiteService.SiteServiceClient(fixture.Channel);

        var seen = await sites.ListSitesAsync(new ListSitesRequest(), fixture.As(EdgeRole.Reader, Site));

        Assert.Equal([Site], seen.Sites.Select(s => s.SiteId));
    }

    [Fact]
    public async Task HealthAndReflection_AnswerWithoutAToken()
    {
        var health = new Grpc.Health.V1.Health.HealthClient(fixture.Channel);

        var answer = await health.CheckAsync(new Grpc.Health.V1.HealthCheckRequest());
        using var reflection = new Grpc.Reflection.V1Alpha.ServerReflection.ServerReflectionClient(fixture.Channel).ServerReflectionInfo();
        await reflection.RequestStream.WriteAsync(new Grpc.Reflection.V1Alpha.ServerReflectionRequest { ListServices = string.Empty });
        await reflection.RequestStream.CompleteAsync();
        Assert.True(await reflection.ResponseStream.MoveNext(CancellationToken.None));
        var services = reflection.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();

        Assert.Equal(Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving, answer.Status);
        Assert.Contains("edge.v1.HostService", services);
        Assert.Contains("edge.v1.EventService", services);
        Assert.Contains("edge.v1.AlarmService", services);
    }
}
