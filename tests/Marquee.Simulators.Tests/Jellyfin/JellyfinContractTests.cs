using Marquee.Simulators.Jellyfin;

namespace Marquee.Simulators.Tests.Jellyfin;

/// <summary>
/// Every endpoint the provider uses, answered by the simulator and validated against the server's OpenAPI description
/// (jellyfin-openapi-stable.json 10.11, emby-openapi-stable.json 4.1) with <see cref="OpenApiSchema"/>. Legacy Jellyfin
/// routes that the 10.11 description no longer lists are checked against the schema of their documented twin.
/// </summary>
public sealed class JellyfinContractTests
{
    [Fact]
    public async Task Jellyfin_EveryUsedEndpoint_MatchesTheDescription()
    {
        await using var host = await JellyfinSimHost.StartAsync();
        var spec = OpenApiSchema.Jellyfin;
        var admin = host.ApiKeyClient();
        var user = host.Sim.Admin.Id;
        var movie = host.Sim.State.Items().First(i => i.Type == "Movie").Id;
        var multi = host.Sim.State.Items().FirstOrDefault(i => i.IndexNumberEnd is not null)?.Id ?? movie;
        host.Control.Play(host.Sim.Admin.Name, multi, 1_000_000_000, stop: true);

        await CheckAsync(spec, host.Bare(), "GET", "/System/Info/Public", "/System/Info/Public");
        await CheckAsync(spec, admin, "GET", "/System/Info", "/System/Info");
        await CheckAsync(spec, admin, "GET", "/Users", "/Users");
        var login = await JellyfinSimHost.PostJsonAsync(host.Client(null), "/Users/AuthenticateByName", "{\"Username\":\"ada\",\"Pw\":\"ada-pw\"}");
        spec.AssertValid("POST", "/Users/AuthenticateByName", 200, await login.Content.ReadAsStringAsync());
        var token = await host.LoginAsync("ada", "ada-pw");
        await CheckAsync(spec, host.Client(token), "GET", "/Users/Me", "/Users/Me");
        await CheckAsync(spec, admin, "GET", "/Items", $"/Items?userId={user}&Recursive=true&IncludeItemTypes=Movie,Episode&Fields=ProviderIds,Path&StartIndex=0&Limit=200");
        await CheckAsync(spec, admin, "GET", "/Items", $"/Items?userId={user}&Recursive=true&IncludeItemTypes=Series&Fields=ProviderIds,Path");
        await CheckAsync(spec, admin, "GET", "/Items", $"/Items?Recursive=true");
        await CheckAsync(spec, admin, "GET", "/Items", $"/Items?userId={user}&Ids={multi}&Fields=ProviderIds,Path");
        await CheckAsync(spec, admin, "GET", "/UserViews", $"/UserViews?userId={user}");
        await CheckAsync(spec, admin, "GET", "/Items", $"/Items?userId={user}&Recursive=true&IncludeItemTypes=Movie,Episode&Fields=ProviderIds,Path&ParentId={host.Sim.State.Views[0].Id}&Limit=50");
        await CheckAsync(spec, admin, "POST", "/UserPlayedItems/{itemId}", $"/UserPlayedItems/{movie}?userId={user}&datePlayed=2024-01-02T03:04:05Z");
        await CheckAsync(spec, admin, "GET", "/UserItems/{itemId}/UserData", $"/UserItems/{movie}/UserData?userId={user}");
        await CheckAsync(spec, admin, "POST", "/UserItems/{itemId}/UserData", $"/UserItems/{movie}/UserData?userId={user}", "{\"PlaybackPositionTicks\":300000000,\"Rating\":8}");
        await CheckAsync(spec, admin, "DELETE", "/UserPlayedItems/{itemId}", $"/UserPlayedItems/{movie}?userId={user}");
        await CheckAsync(spec, admin, "GET", "/UserItems/Resume", $"/UserItems/Resume?userId={user}");

        // Legacy routes (JELLYFIN-NOTES.md: "same result") answer with the schema of their documented twin.
        await CheckAsync(spec, admin, "POST", "/UserPlayedItems/{itemId}", $"/Users/{user}/PlayedItems/{movie}");
        await CheckAsync(spec, admin, "GET", "/UserItems/{itemId}/UserData", $"/Users/{user}/Items/{movie}/UserData");
    }

    [Fact]
    public async Task Emby_EveryUsedEndpoint_MatchesTheDescription()
    {
        await using var host = await JellyfinSimHost.StartAsync(JellyfinFlavor.Emby);
        var spec = OpenApiSchema.Emby;
        var admin = host.ApiKeyClient();
        var user = host.Sim.Admin.Id;
        var movie = host.Sim.State.Items().First(i => i.Type == "Movie").Id;
        host.Control.Mark(host.Sim.Admin.Name, movie, true);

        await CheckAsync(spec, host.Bare(), "GET", "/System/Info/Public", "/System/Info/Public");
        await CheckAsync(spec, admin, "GET", "/System/Info", "/System/Info");
        await CheckAsync(spec, admin, "GET", "/Users", "/Users");
        var login = await JellyfinSimHost.PostJsonAsync(host.Client(null), "/Users/AuthenticateByName", "{\"Username\":\"ada\",\"Pw\":\"ada-pw\"}");
        spec.AssertValid("POST", "/Users/AuthenticateByName", 200, await login.Content.ReadAsStringAsync());
        await CheckAsync(spec, admin, "GET", "/Users/{UserId}/Items", $"/Users/{user}/Items?Recursive=true&IncludeItemTypes=Movie,Episode&Fields=ProviderIds,Path&StartIndex=0&Limit=200");
        await CheckAsync(spec, admin, "GET", "/Users/{UserId}/Items", $"/Users/{user}/Items?Recursive=true&IncludeItemTypes=Series&Fields=ProviderIds,Path");
        await CheckAsync(spec, admin, "GET", "/Users/{UserId}/Views", $"/Users/{user}/Views");
        await CheckAsync(spec, admin, "GET", "/Users/{UserId}/Items", $"/Users/{user}/Items?Recursive=true&IncludeItemTypes=Movie,Episode&ParentId={host.Sim.State.Views[1].Id}&Limit=50");
        await CheckAsync(spec, admin, "POST", "/Users/{UserId}/PlayedItems/{Id}", $"/Users/{user}/PlayedItems/{movie}?DatePlayed=20240102030405");
        await CheckAsync(spec, admin, "DELETE", "/Users/{UserId}/PlayedItems/{Id}", $"/Users/{user}/PlayedItems/{movie}");
    }

    [Fact]
    public void Validator_RejectsWrongTypesMissingRequiredAndUndescribedProperties()
    {
        var spec = OpenApiSchema.Jellyfin;
        var userData = spec.Component("UserItemDataDto");
        var policy = spec.Component("UserPolicy");

        using var good = System.Text.Json.JsonDocument.Parse("{\"PlaybackPositionTicks\":0,\"PlayCount\":1,\"IsFavorite\":false,\"Played\":true,\"LastPlayedDate\":\"2024-01-02T03:04:05.0000000Z\",\"Key\":\"603\",\"ItemId\":\"1a77aaaabbbbccccddddeeeeffff6187\"}");
        using var wrongType = System.Text.Json.JsonDocument.Parse("{\"Played\":\"yes\"}");
        using var extra = System.Text.Json.JsonDocument.Parse("{\"Played\":true,\"Surprise\":1}");
        using var badDate = System.Text.Json.JsonDocument.Parse("{\"LastPlayedDate\":\"yesterday\"}");
        using var missing = System.Text.Json.JsonDocument.Parse("{\"IsAdministrator\":true}");
        using var nullNotAllowed = System.Text.Json.JsonDocument.Parse("{\"PlayCount\":null}");

        Assert.Empty(spec.Validate(good.RootElement, userData));
        Assert.NotEmpty(spec.Validate(wrongType.RootElement, userData));
        Assert.NotEmpty(spec.Validate(extra.RootElement, userData));
        Assert.NotEmpty(spec.Validate(badDate.RootElement, userData));
        Assert.NotEmpty(spec.Validate(missing.RootElement, policy));
        Assert.NotEmpty(spec.Validate(nullNotAllowed.RootElement, userData));
    }

    private static async Task CheckAsync(OpenApiSchema spec, HttpClient client, string method, string template, string path, string? body = null)
    {
        var (status, text) = await JellyfinSimHost.SendAsync(client, new HttpMethod(method), path, body);
        Assert.True(status == 200, $"{method} {path}: {status} {text}");
        spec.AssertValid(method, template, 200, text);
    }
}
