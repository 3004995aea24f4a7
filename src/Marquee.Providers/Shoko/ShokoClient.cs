using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Marquee.Core.Providers;
using Marquee.Providers.Http;
using Marquee.Providers.Shoko.Models;

namespace Marquee.Providers.Shoko;

/// <summary>
/// Typed access to one Shoko Server. A key is per Shoko user (the key is the user, SHOKO-API.md section 2): the
/// connection's own key (given, or from <c>POST /api/auth</c>), and for other users a key from their name and
/// password. Keys travel in the <c>apikey</c> header and never appear in messages. Reads are retried with back-off;
/// writes are sent once. A key from a login that the server refuses later is renewed once.
/// </summary>
public sealed class ShokoClient
{
    public const string HttpClientName = "shoko";

    private const string Device = "Marquee";

    private readonly ShokoSettings _settings;
    private readonly IReadOnlyDictionary<string, string> _passwords;
    private readonly ProviderHttpClient _http;
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _keys = new(StringComparer.OrdinalIgnoreCase);

    public ShokoClient(HttpClient http, ShokoSettings settings, string connectionName, ShokoOptions options, RequestCounts counts, TimeProvider time, long maxResponseBytes = ProviderHttpOptions.DefaultMaxResponseBytes)
    {
        _settings = settings;
        _passwords = settings.ParsePasswords().Passwords ?? new Dictionary<string, string>();
        ConnectionName = connectionName;
        _http = new ProviderHttpClient(http, "shoko", options.Policy(maxResponseBytes), counts, time);
    }

    public string ConnectionName { get; }

    public bool UsesApiKey => !string.IsNullOrWhiteSpace(_settings.ApiKey);

    public string Server => $"Shoko server '{ConnectionName}' ({_settings.Url.GetLeftPart(UriPartial.Authority)})";

    /// <summary>GETs JSON as <paramref name="user"/> (null: the connection's own user), retrying transient failures.</summary>
    public Task<T> GetAsync<T>(string? user, string template, string pathAndQuery, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        _http.RunAsync(true, ct => SendAsync(user, HttpMethod.Get, template, pathAndQuery, null, type, ct), cancellationToken);

    /// <summary>GETs JSON without a key (<c>Init/Status</c>, <c>Init/Version</c>).</summary>
    public Task<T> GetPublicAsync<T>(string template, string pathAndQuery, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        _http.RunAsync(true, ct => SendOnceAsync(null, HttpMethod.Get, template, pathAndQuery, null, type, ct), cancellationToken);

    /// <summary>Sends a JSON body that changes state, once.</summary>
    public Task<TResult> PutAsync<TBody, TResult>(string? user, string template, string pathAndQuery, TBody body, JsonTypeInfo<TBody> bodyType, JsonTypeInfo<TResult> type, CancellationToken cancellationToken) =>
        SendAsync(user, HttpMethod.Put, template, pathAndQuery, Encoding.UTF8.GetBytes(JsonSerializer.Serialize(body, bodyType)), type, cancellationToken);

    /// <summary>A failure of a call that answered, but not with what was needed, in the same words as the others.</summary>
    public ProviderException Unexpected(string template, string detail) =>
        _http.Failure(Request(null, HttpMethod.Get, template, string.Empty, null), null, ProviderFailure.WrongContent, detail, null, transient: false);

    /// <summary>The key of <paramref name="user"/> (null: the connection's own), logging in once per user and sharing the login between callers.</summary>
    public Task<string> KeyAsync(string? user, CancellationToken cancellationToken)
    {
        if (user is null && UsesApiKey)
        {
            return Task.FromResult(_settings.ApiKey!.Trim());
        }

        var name = user ?? _settings.User!;
        var password = user is null ? _settings.Password ?? string.Empty : _passwords.GetValueOrDefault(name, string.Empty);
        var login = _keys.GetOrAdd(user ?? string.Empty, _ => new Lazy<Task<string>>(() => LoginAsync(name, password, cancellationToken)));
        if (login.Value.IsFaulted || login.Value.IsCanceled)
        {
            _keys.TryRemove(new KeyValuePair<string, Lazy<Task<string>>>(user ?? string.Empty, login));
            login = _keys.GetOrAdd(user ?? string.Empty, _ => new Lazy<Task<string>>(() => LoginAsync(name, password, cancellationToken)));
        }

        return login.Value;
    }

    private async Task<string> LoginAsync(string user, string password, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new ShokoLogin(user, password, Device), ShokoJson.Default.ShokoLogin));
        var request = Request(null, HttpMethod.Post, "/api/auth", "api/auth", body, credential: $"user name or password of Shoko user '{user}'");
        var answer = await _http.SendOnceAsync(request, _http.Json(request, ShokoJson.Default.ShokoKey), cancellationToken);
        return string.IsNullOrWhiteSpace(answer.Apikey)
            ? throw _http.Failure(request, HttpStatusCode.OK, ProviderFailure.WrongContent, "the login answer carried no apikey", null, transient: false)
            : answer.Apikey.Trim();
    }

    private async Task<T> SendAsync<T>(string? user, HttpMethod method, string template, string pathAndQuery, byte[]? body, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var key = await KeyAsync(user, cancellationToken);
        try
        {
            return await SendOnceAsync(key, method, template, pathAndQuery, body, type, cancellationToken);
        }
        catch (ProviderException ex) when (ex.Status == HttpStatusCode.Unauthorized && !(user is null && UsesApiKey))
        {
            // A key from a login was forgotten by the server (keys deleted, database restored): log in again once.
            // A 401 changed nothing, so repeating a write is safe.
            _keys.TryRemove(user ?? string.Empty, out _);
            key = await KeyAsync(user, cancellationToken);
            return await SendOnceAsync(key, method, template, pathAndQuery, body, type, cancellationToken);
        }
    }

    private Task<T> SendOnceAsync<T>(string? key, HttpMethod method, string template, string pathAndQuery, byte[]? body, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var request = Request(key, method, template, pathAndQuery, body);
        return _http.SendOnceAsync(request, _http.Json(request, type), cancellationToken);
    }

    private Uri BaseUrl => _settings.Url.AbsoluteUri.EndsWith('/') ? _settings.Url : new Uri(_settings.Url.AbsoluteUri + "/");

    private ProviderRequest Request(string? key, HttpMethod method, string template, string pathAndQuery, byte[]? body, string? credential = null) => new(
        method,
        new Uri(BaseUrl, pathAndQuery),
        method.Method + " " + template,
        Server,
        credential ?? (UsesApiKey ? "API key" : "user name or password"),
        request =>
        {
            request.Headers.Accept.ParseAdd("application/json");
            if (key is not null)
            {
                request.Headers.TryAddWithoutValidation("apikey", key);
            }
        },
        body,
        body is null ? null : "application/json");
}
