using Marquee.Core.Profiles;
using Marquee.Web.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Marquee.Web.Profiles;

internal static class ProfileEndpoints
{
    public static RouteGroupBuilder MapProfiles(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/profiles").WithTags("Profiles").ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/", async (ProfileService profiles, CancellationToken ct) =>
        {
            var all = await profiles.ListAsync(ct);
            var links = await profiles.ListLinksAsync(null, ct);
            return TypedResults.Ok(all.Select(p => ProfileView.From(p, links)).ToList());
        });

        group.MapGet("/{id}", async (string id, ProfileService profiles, CancellationToken ct) =>
        {
            var profile = await profiles.FindAsync(id, ct);
            return TypedResults.Ok(ProfileView.From(profile, await profiles.ListLinksAsync(id, ct)));
        });

        group.MapPost("/", async Task<Created<ProfileView>> (HttpRequest request, ProfileService profiles, CancellationToken ct) =>
        {
            var body = await RequestBody.ReadAsync<ProfileRequest>(request, ct);
            var created = await profiles.CreateAsync(body.Name, body.DisplayName, ct);
            return TypedResults.Created($"/api/profiles/{created.Id}", ProfileView.From(created, []));
        })
        .Accepts<ProfileRequest>("application/json")
        .ProducesValidationProblem()
        .ProducesProblem(StatusCodes.Status409Conflict)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        group.MapPut("/{id}", async (string id, HttpRequest request, ProfileService profiles, CancellationToken ct) =>
        {
            var body = await RequestBody.ReadAsync<ProfileRequest>(request, ct);
            var updated = await profiles.UpdateAsync(id, body.Name, body.DisplayName, ct);
            return TypedResults.Ok(ProfileView.From(updated, await profiles.ListLinksAsync(updated.Name, ct)));
        })
        .Accepts<ProfileRequest>("application/json")
        .ProducesValidationProblem()
        .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapDelete("/{id}", async (string id, ProfileService profiles, CancellationToken ct) =>
        {
            await profiles.DeleteAsync(id, ct);
            return TypedResults.NoContent();
        });

        group.MapPost("/{id}/accounts", async (string id, HttpRequest request, ProfileService profiles, CancellationToken ct) =>
        {
            var body = await RequestBody.ReadAsync<LinkRequest>(request, ct);
            return TypedResults.Ok(await profiles.LinkAsync(id, body.Connection, body.Account, ct));
        })
        .Accepts<LinkRequest>("application/json")
        .ProducesValidationProblem();

        group.MapDelete("/{id}/accounts/{connection}/{account}", async (string id, string connection, string account, ProfileService profiles, CancellationToken ct) =>
        {
            await profiles.UnlinkAsync(id, connection, account, ct);
            return TypedResults.NoContent();
        });

        return group;
    }
}

public sealed record ProfileRequest(string? Name, string? DisplayName);

public sealed record LinkRequest(string? Connection, string? Account);

public sealed record ProfileView(long Id, string Name, string? DisplayName, DateTimeOffset CreatedAt, IReadOnlyList<LinkedAccount> Accounts)
{
    public static ProfileView From(Profile profile, IReadOnlyList<LinkedAccount> links) =>
        new(profile.Id, profile.Name, profile.DisplayName, profile.CreatedAt, links.Where(l => l.ProfileId == profile.Id).ToList());
}
