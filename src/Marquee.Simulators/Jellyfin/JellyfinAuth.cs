using Marquee.Simulators.Jellyfin.Model;
using Microsoft.AspNetCore.Http;

namespace Marquee.Simulators.Jellyfin;

/// <summary>Who is calling: the API key (an administrator with no user) or a user's session token.</summary>
internal sealed record JfCaller(JfUser? User, bool IsApiKey)
{
    public bool IsAdministrator => IsApiKey || User?.IsAdministrator == true;
}

/// <summary>
/// Reads credentials the way the server does (JELLYFIN-NOTES.md): <c>Authorization: MediaBrowser …, Token="…"</c> always;
/// <c>X-Emby-Authorization</c>, <c>X-Emby-Token</c>, <c>X-MediaBrowser-Token</c> and <c>api_key</c> only when legacy
/// authorization is on (Jellyfin's default is off; Emby always accepts them).
/// </summary>
internal static class JellyfinAuth
{
    public static bool LegacyAllowed(JellyfinState state) => state.IsEmby || state.Options.LegacyAuthorization;

    /// <summary>Whether the request carries a client description the login call accepts.</summary>
    public static bool HasClientHeader(HttpContext context, JellyfinState state) =>
        Parse(context.Request.Headers.Authorization.ToString()) is not null
        || (LegacyAllowed(state) && Parse(context.Request.Headers["X-Emby-Authorization"].ToString()) is not null);

    public static string? Token(HttpContext context, JellyfinState state)
    {
        if (Parse(context.Request.Headers.Authorization.ToString()) is { } header && header.TryGetValue("Token", out var token) && token.Length > 0)
        {
            return token;
        }

        if (!LegacyAllowed(state))
        {
            return null;
        }

        if (Parse(context.Request.Headers["X-Emby-Authorization"].ToString()) is { } legacy && legacy.TryGetValue("Token", out var legacyToken) && legacyToken.Length > 0)
        {
            return legacyToken;
        }

        foreach (var name in (string[])["X-Emby-Token", "X-MediaBrowser-Token"])
        {
            if (context.Request.Headers[name].ToString() is { Length: > 0 } value)
            {
                return value;
            }
        }

        foreach (var name in (string[])["api_key", "ApiKey"])
        {
            if (context.Request.Query[name].ToString() is { Length: > 0 } value)
            {
                return value;
            }
        }

        return null;
    }

    public static JfCaller? Caller(HttpContext context, JellyfinState state)
    {
        var token = Token(context, state);
        if (token is null)
        {
            return null;
        }

        if (token == state.Options.ApiKey)
        {
            return new JfCaller(null, true);
        }

        return state.TokenUser(token) is { } user ? new JfCaller(user, false) : null;
    }

    /// <summary>Parses <c>MediaBrowser Client="x", Device="y", Token="z"</c> (Emby also sends the scheme <c>Emby</c>); null when it is not that.</summary>
    public static Dictionary<string, string>? Parse(string header)
    {
        header = header.Trim();
        var space = header.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0)
        {
            return null;
        }

        var scheme = header[..space];
        if (!scheme.Equals("MediaBrowser", StringComparison.OrdinalIgnoreCase) && !scheme.Equals("Emby", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in header[(space + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                values[part[..eq].Trim()] = Uri.UnescapeDataString(part[(eq + 1)..].Trim().Trim('"'));
            }
        }

        return values;
    }
}
