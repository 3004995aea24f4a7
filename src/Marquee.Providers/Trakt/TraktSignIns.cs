using System.Collections.Concurrent;
using System.Security.Cryptography;
using Marquee.Core.Connections;
using Marquee.Core.Providers;
using Marquee.Core.Validation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Marquee.Providers.Trakt;

/// <summary>A device login under way for the API: the code shown to the user and the connection it will become.</summary>
public sealed record TraktSignIn(string Key, string Name, TraktApp App, TraktDeviceCode Code, DateTimeOffset ExpiresAt);

/// <summary>
/// Device logins started through the API, kept in memory until approved, refused or expired (the device code never
/// leaves the server; callers hold a random key). Also turns approved tokens into a stored connection, for the CLI too.
/// </summary>
public sealed class TraktSignIns(IServiceProvider services, IHttpClientFactory http, IOptions<TraktOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, TraktSignIn> _pending = new(StringComparer.Ordinal);

    /// <summary>The app to sign in as: the given client id and secret, else the configured ones; problems name the field.</summary>
    public TraktApp App(string? url, string? clientId, string? clientSecret)
    {
        var problems = new List<FieldProblem>();
        Uri? parsed = null;
        if (url is not null && (!Uri.TryCreate(url, UriKind.Absolute, out parsed) || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps)))
        {
            problems.Add(new FieldProblem("url", "'url' must be an absolute http:// or https:// URL."));
        }

        clientId ??= options.Value.ClientId;
        clientSecret ??= options.Value.ClientSecret;
        if (string.IsNullOrWhiteSpace(clientId))
        {
            problems.Add(new FieldProblem("clientId", "'clientId' is required: the client id of your Trakt app (trakt.tv/oauth/applications), or set Marquee:Trakt:ClientId."));
        }

        if (string.IsNullOrWhiteSpace(clientSecret))
        {
            problems.Add(new FieldProblem("clientSecret", "'clientSecret' is required: the client secret of your Trakt app, or set Marquee:Trakt:ClientSecret."));
        }

        if (problems.Count > 0)
        {
            throw new ValidationException(problems);
        }

        var root = parsed ?? TraktSettings.DefaultUrl;
        return services.App(root.AbsoluteUri.EndsWith('/') ? root : new Uri(root.AbsoluteUri + "/"), clientId!, clientSecret!);
    }

    public TraktDeviceLogin Login(TraktApp app) => new(http.CreateClient(TraktRegistration.HttpClientName), app, time);

    /// <summary>Asks Trakt for a code and keeps the login under a new key until it is approved or expires.</summary>
    public async Task<TraktSignIn> StartAsync(string? name, TraktApp app, CancellationToken cancellationToken)
    {
        if (Names.Check(name) is { } problem)
        {
            throw new ValidationException([problem]);
        }

        Forget();
        await using (var scope = services.CreateAsyncScope())
        {
            if (await scope.ServiceProvider.GetRequiredService<IConnectionStore>().FindByNameAsync(name!, cancellationToken) is not null)
            {
                throw new ConflictException("name", $"A connection named '{name}' already exists.");
            }
        }

        var code = await Login(app).StartAsync(cancellationToken);
        var signIn = new TraktSignIn(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), name!, app, code, time.GetUtcNow() + code.ExpiresIn);
        _pending[signIn.Key] = signIn;
        return signIn;
    }

    /// <summary>
    /// Polls the login once: null while the user has not decided; the new connection once approved. A refusal, an
    /// expired, used or unknown code is a <see cref="TraktException"/> saying what to do, and the login is forgotten.
    /// </summary>
    public async Task<ConnectionView?> PollAsync(string key, CancellationToken cancellationToken)
    {
        Forget();
        if (!_pending.TryGetValue(key, out var signIn))
        {
            throw new NotFoundException("login", key);
        }

        TraktPoll poll;
        try
        {
            poll = await Login(signIn.App).PollOnceAsync(signIn.Code, cancellationToken);
        }
        catch (TraktException)
        {
            _pending.TryRemove(key, out _);
            throw;
        }

        if (poll.Tokens is not { } tokens)
        {
            return null;
        }

        _pending.TryRemove(key, out _);
        return await CreateAsync(signIn.Name, signIn.App, tokens, cancellationToken);
    }

    /// <summary>Stores a connection with the tokens (encrypted) at once, before any other call: the refresh token is single-use.</summary>
    public async Task<ConnectionView> CreateAsync(string name, TraktApp app, TraktTokens tokens, CancellationToken cancellationToken)
    {
        var settings = SettingsCodec.Write(new TraktSettings
        {
            Url = app.BaseUri,
            ClientId = app.ClientId,
            ClientSecret = app.ClientSecret,
            AccessToken = tokens.AccessToken,
            RefreshToken = tokens.RefreshToken,
            ExpiresAt = tokens.ExpiresAt,
        });
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ConnectionService>().CreateAsync(name, "trakt", settings, CancellationToken.None);
    }

    private void Forget()
    {
        var now = time.GetUtcNow();
        foreach (var (key, signIn) in _pending)
        {
            if (signIn.ExpiresAt < now)
            {
                _pending.TryRemove(key, out _);
            }
        }
    }
}
