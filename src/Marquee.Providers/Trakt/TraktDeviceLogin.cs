using System.Net;
using System.Text.Json.Nodes;

namespace Marquee.Providers.Trakt;

/// <summary>The codes of a device login: the user opens <see cref="VerificationUrl"/> and types <see cref="UserCode"/>.</summary>
public sealed record TraktDeviceCode(string DeviceCode, string UserCode, Uri VerificationUrl, TimeSpan ExpiresIn, TimeSpan Interval)
{
    public override string ToString() => $"Trakt device code {UserCode}";
}

/// <summary>
/// Trakt's device-code login: ask for codes, then poll at the given interval until the user approves (200), refuses (418),
/// the code expires (410) or was used (409) or is unknown (404); a 429 means "slow down" and adds 5 s to the interval.
/// </summary>
public sealed class TraktDeviceLogin(HttpClient http, TraktApp app, TimeProvider time)
{
    public async Task<TraktDeviceCode> StartAsync(CancellationToken ct)
    {
        using var response = await http.PostAsync(new Uri(app.BaseUri, "oauth/device/code"), TraktWire.Json(new JsonObject { ["client_id"] = app.ClientId }), ct);
        var body = await TraktWire.ReadAsync(response, ct);
        if (!response.IsSuccessStatusCode || body?["device_code"] is null || body["user_code"] is null)
        {
            throw new TraktException($"Trakt refused to start a device login ({(int)response.StatusCode}): check the client id of the Trakt app.", (int)response.StatusCode);
        }

        return new TraktDeviceCode(
            body["device_code"]!.GetValue<string>(),
            body["user_code"]!.GetValue<string>(),
            new Uri(body["verification_url"]?.GetValue<string>() ?? "https://trakt.tv/activate"),
            TimeSpan.FromSeconds(body["expires_in"]?.GetValue<int>() ?? 600),
            TimeSpan.FromSeconds(body["interval"]?.GetValue<int>() ?? 5));
    }

    /// <summary>Polls until the user has decided; a refusal or an expired code is a <see cref="TraktException"/> that says what to do.</summary>
    public async Task<TraktTokens> WaitAsync(TraktDeviceCode code, CancellationToken ct, IProgress<TimeSpan>? progress = null)
    {
        var interval = code.Interval;
        var started = time.GetUtcNow();
        var deadline = started + code.ExpiresIn;
        while (true)
        {
            if (time.GetUtcNow() >= deadline)
            {
                throw new TraktException($"The Trakt code {code.UserCode} expired before it was approved: run the login again and enter the new code at {code.VerificationUrl}.", 410);
            }

            await Task.Delay(interval, time, ct);
            var poll = await PollOnceAsync(code, ct);
            progress?.Report(time.GetUtcNow() - started);
            if (poll.Tokens is { } tokens)
            {
                return tokens;
            }

            if (poll.SlowDown)
            {
                interval += TimeSpan.FromSeconds(5);
            }
        }
    }

    /// <summary>
    /// Asks once whether the user has decided: tokens when approved, none while pending (with <see cref="TraktPoll.SlowDown"/>
    /// when Trakt asks to poll less often, or answered with a server error); a refusal, an expired, used or unknown code
    /// is a <see cref="TraktException"/> that says what to do.
    /// </summary>
    public async Task<TraktPoll> PollOnceAsync(TraktDeviceCode code, CancellationToken ct)
    {
        var poll = new JsonObject { ["code"] = code.DeviceCode, ["client_id"] = app.ClientId, ["client_secret"] = app.ClientSecret };
        using var response = await http.PostAsync(new Uri(app.BaseUri, "oauth/device/token"), TraktWire.Json(poll), ct);
        return (int)response.StatusCode switch
        {
            200 => new TraktPoll(TraktWire.Tokens(await TraktWire.ReadAsync(response, ct)), false),
            400 => new TraktPoll(null, false),
            429 => new TraktPoll(null, true),
            404 => throw new TraktException("Trakt does not know this device code: run the login again.", 404),
            409 => throw new TraktException($"The Trakt code {code.UserCode} was already used: run the login again for a new code.", 409),
            410 => throw new TraktException($"The Trakt code {code.UserCode} expired before it was approved: run the login again and enter the new code at {code.VerificationUrl}.", 410),
            418 => throw new TraktException("The Trakt login was refused on trakt.tv: run it again and choose Yes to let Marquee use the account.", 418),
            (int)HttpStatusCode.Unauthorized or (int)HttpStatusCode.Forbidden =>
                throw new TraktException($"Trakt refused the app ({(int)response.StatusCode}): check the client id and secret of the Trakt app.", (int)response.StatusCode),
            >= 500 => new TraktPoll(null, true),
            var status => throw new TraktException($"Trakt answered the device login with {status}.", status),
        };
    }
}

/// <summary>One poll of a device login: the tokens once approved; <see cref="SlowDown"/> when the next poll must wait 5 s longer.</summary>
public sealed record TraktPoll(TraktTokens? Tokens, bool SlowDown);
