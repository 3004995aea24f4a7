using System.Text.Json;
using System.Text.Json.Nodes;

namespace Marquee.Providers.Trakt;

/// <summary>Reading Trakt's JSON: token objects, dates kept to the minute.</summary>
internal static class TraktWire
{
    public static TraktTokens Tokens(JsonNode? body)
    {
        var access = body?["access_token"]?.GetValue<string>();
        var refresh = body?["refresh_token"]?.GetValue<string>();
        if (access is null || refresh is null || body?["created_at"] is not JsonValue created || body["expires_in"] is not JsonValue expires)
        {
            throw new TraktException("Trakt answered the token request without access_token, refresh_token, created_at and expires_in.");
        }

        return new TraktTokens(access, refresh, DateTimeOffset.FromUnixTimeSeconds(created.GetValue<long>() + expires.GetValue<long>()));
    }

    /// <summary>Trakt keeps play dates to the minute: both sides of a comparison are cut to it.</summary>
    public static DateTimeOffset ToMinute(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, utc.Minute, 0, TimeSpan.Zero);
    }

    public static string Date(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    public static StringContent Json(JsonNode body) => new(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");

    public static async Task<JsonNode?> ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        try
        {
            return text.Length == 0 ? null : JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
