using Marquee.Core.Connections;
using Marquee.Providers.Trakt;
using Marquee.Web.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Marquee.Web.Connections;

/// <summary>
/// Trakt's device login over the API: start it (the answer holds the code to show the user and a login key), then poll
/// with the key until the user has approved; the approved login becomes a connection with its tokens stored encrypted.
/// </summary>
internal static class TraktLoginEndpoints
{
    public static void MapTraktLogin(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/connections/trakt/login").WithTags("Connections");

        group.MapPost("/", async (HttpRequest request, TraktSignIns signIns, CancellationToken ct) =>
        {
            var body = await RequestBody.ReadAsync<TraktLoginRequest>(request, ct);
            var trakt = signIns.App(body.Url, body.ClientId, body.ClientSecret);
            TraktSignIn signIn;
            try
            {
                signIn = await signIns.StartAsync(body.Name, trakt, ct);
            }
            catch (Exception ex) when (ex is TraktException or HttpRequestException)
            {
                return Refused(ex);
            }

            return Results.Ok(new TraktLoginStarted(signIn.Key, signIn.Code.UserCode, signIn.Code.VerificationUrl, signIn.ExpiresAt, (int)signIn.Code.Interval.TotalSeconds));
        })
        .Accepts<TraktLoginRequest>("application/json")
        .ProducesValidationProblem()
        .ProducesProblem(StatusCodes.Status409Conflict)
        .ProducesProblem(StatusCodes.Status502BadGateway);

        group.MapPost("/{key}", async (string key, TraktSignIns signIns, CancellationToken ct) =>
        {
            ConnectionView? created;
            try
            {
                created = await signIns.PollAsync(key, ct);
            }
            catch (Exception ex) when (ex is TraktException or HttpRequestException)
            {
                return Refused(ex);
            }

            return created is null
                ? Results.Accepted(value: new TraktLoginPending("pending", "The code is not approved yet; poll again after the interval."))
                : Results.Created($"/api/connections/{created.Id}", created);
        })
        .Produces<ConnectionView>(StatusCodes.Status201Created)
        .Produces<TraktLoginPending>(StatusCodes.Status202Accepted)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status409Conflict)
        .ProducesProblem(StatusCodes.Status410Gone)
        .ProducesProblem(StatusCodes.Status403Forbidden);
    }

    /// <summary>What Trakt said, as a problem: an unknown (404), used (409) or expired (410) code as such, a refusal on trakt.tv (418) as 403, anything else as 502.</summary>
    private static IResult Refused(Exception ex) => Results.Problem(
        title: "The Trakt login did not go through.",
        detail: ex is TraktException ? ex.Message : $"Trakt could not be reached: {ex.Message}",
        statusCode: (ex as TraktException)?.Status switch
        {
            404 => StatusCodes.Status404NotFound,
            409 => StatusCodes.Status409Conflict,
            410 => StatusCodes.Status410Gone,
            418 => StatusCodes.Status403Forbidden,
            _ => StatusCodes.Status502BadGateway,
        });
}

public sealed record TraktLoginRequest(string? Name, string? ClientId, string? ClientSecret, string? Url);

public sealed record TraktLoginStarted(string Login, string UserCode, Uri VerificationUrl, DateTimeOffset ExpiresAt, int IntervalSeconds);

public sealed record TraktLoginPending(string Status, string Message);
