namespace Marquee.Providers.Trakt;

/// <summary>Where Trakt answers and which registered app Marquee speaks as.</summary>
/// <param name="BaseUri">The API, <c>https://api.trakt.tv/</c>.</param>
/// <param name="ClientId">The app's client id, sent as <c>trakt-api-key</c>.</param>
/// <param name="ClientSecret">The app's client secret (device-token and refresh calls).</param>
/// <param name="WriteInterval">The least time between two writes of one account (Trakt allows one per second).</param>
public sealed record TraktApp(Uri BaseUri, string ClientId, string ClientSecret, TimeSpan WriteInterval)
{
    public const string UserAgent = "Marquee/1.0";

    /// <summary>Items per write (history, ratings, watchlist): 100, the size Trakt's own clients use.</summary>
    public const int BatchSize = 100;

    /// <summary>Items per listing page asked for; the server may clamp it, the client follows its headers.</summary>
    public const int PageSize = 250;
}

/// <summary>An account's tokens; the access token expires at <see cref="ExpiresAt"/> (<c>created_at + expires_in</c>).</summary>
public sealed record TraktTokens(string AccessToken, string RefreshToken, DateTimeOffset ExpiresAt)
{
    /// <summary>Never prints the tokens.</summary>
    public override string ToString() => $"Trakt tokens (expire {ExpiresAt:u})";
}

/// <summary>A Trakt failure with a message that says what to do; it never holds a token.</summary>
public sealed class TraktException(string message, int? status = null) : Exception(message)
{
    public int? Status { get; } = status;
}
