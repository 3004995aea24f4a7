using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Marquee.Core.Providers;
using Polly;
using Polly.Retry;

namespace Marquee.Providers.Http;

/// <summary>How one provider's calls are timed and retried, and how large an answer may be.</summary>
public sealed record ProviderHttpPolicy(TimeSpan RequestTimeout, int MaxRetries, TimeSpan RetryDelay, TimeSpan MaxRetryAfter, long MaxResponseBytes);

/// <summary>One request: where it goes, the endpoint name used in counts and messages, and who answers (for messages).</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Uri">The absolute address.</param>
/// <param name="Endpoint">The endpoint name, e.g. <c>GET /library/sections/{id}/all</c>.</param>
/// <param name="Server">Who answers, e.g. <c>Plex server 'den' (http://host:32400)</c>; messages read "Server: Endpoint: detail".</param>
/// <param name="Credential">What a 401/403 refused, e.g. <c>token</c>, <c>API key</c>.</param>
/// <param name="Headers">Adds the request's headers (credentials included).</param>
/// <param name="Body">The body's bytes, sent again as they are when the request is repeated.</param>
/// <param name="ContentType">The body's content type.</param>
/// <param name="Bounded">Whether the call counts against the client's bound on calls in flight (the server's own endpoints do; plex.tv's do not).</param>
public sealed record ProviderRequest(
    HttpMethod Method,
    Uri Uri,
    string Endpoint,
    string Server,
    string Credential,
    Action<HttpRequestMessage> Headers,
    byte[]? Body = null,
    string? ContentType = null,
    bool Bounded = true);

/// <summary>
/// The one HTTP client every provider uses. Reads are retried with back-off (honouring <c>Retry-After</c>); writes are
/// sent once. Each attempt has its own timeout and is counted per endpoint; an optional gate bounds the calls in flight.
/// Redirects are followed only to the same origin and only for reads (requests carry tokens); answers are read through a
/// size cap; every failure becomes a <see cref="ProviderException"/> naming the server, the endpoint and the reason.
/// </summary>
public sealed class ProviderHttpClient
{
    /// <summary>How many same-origin redirects a read follows before it is called a loop.</summary>
    public const int MaxRedirects = 5;

    private const int ErrorBodyBytes = 4096;

    private static readonly AsyncLocal<Budget?> CurrentBudget = new();

    private readonly HttpClient _http;
    private readonly string _provider;
    private readonly ProviderHttpPolicy _policy;
    private readonly RequestCounts _counts;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim? _gate;
    private readonly ResiliencePipeline _reads;

    public ProviderHttpClient(HttpClient http, string provider, ProviderHttpPolicy policy, RequestCounts counts, TimeProvider time, SemaphoreSlim? gate = null)
    {
        _http = http;
        _provider = provider;
        _policy = policy;
        _counts = counts;
        _time = time;
        _gate = gate;
        _reads = policy.MaxRetries <= 0 ? ResiliencePipeline.Empty : new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<ProviderException>(ex => CurrentBudget.Value is null && ex.IsTransient && (ex.RetryAfter is null || ex.RetryAfter <= policy.MaxRetryAfter)),
                MaxRetryAttempts = Math.Max(policy.MaxRetries, 1),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = policy.RetryDelay,
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Exception is ProviderException { RetryAfter: { } wait } ? wait : (TimeSpan?)null),
            })
            .Build();
    }

    /// <summary>
    /// Runs <paramref name="action"/> with every call inside it sent once (no retries) and all of them together bounded by
    /// <paramref name="budget"/>: a connection test answers within the budget whatever the server does.
    /// </summary>
    public static async Task<T> WithinAsync<T>(TimeSpan budget, TimeProvider time, Func<Task<T>> action)
    {
        CurrentBudget.Value = new Budget(time, time.GetTimestamp(), budget);
        return await action();
    }

    /// <summary>Runs one logical call: repeated on transient failures when <paramref name="idempotent"/>, else once.</summary>
    public async Task<T> RunAsync<T>(bool idempotent, Func<CancellationToken, Task<T>> attempt, CancellationToken cancellationToken) =>
        idempotent ? await _reads.ExecuteAsync(async ct => await attempt(ct), cancellationToken) : await attempt(cancellationToken);

    /// <summary>Sends <paramref name="request"/> once and reads a successful answer with <paramref name="read"/> (the stream is size-capped).</summary>
    public async Task<T> SendOnceAsync<T>(ProviderRequest request, Func<HttpResponseMessage, Stream, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        var gate = request.Bounded ? _gate : null;
        if (gate is not null)
        {
            await gate.WaitAsync(cancellationToken);
        }

        var budget = CurrentBudget.Value;
        var timeoutAfter = budget?.Remaining(_policy.RequestTimeout) ?? _policy.RequestTimeout;
        try
        {
            _counts.Count(request.Endpoint);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(timeoutAfter > TimeSpan.Zero ? timeoutAfter : TimeSpan.FromTicks(1));
            var uri = request.Uri;
            for (var hop = 0; ; hop++)
            {
                using var message = new HttpRequestMessage(request.Method, uri);
                request.Headers(message);
                if (request.Body is not null)
                {
                    message.Content = new ByteArrayContent(request.Body);
                    message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
                }

                using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                if (IsRedirect(response.StatusCode))
                {
                    uri = Redirect(request, uri, response, hop);
                    continue;
                }

                if (!response.IsSuccessStatusCode)
                {
                    throw await FailureAsync(request, response, timeout.Token);
                }

                if (response.Content.Headers.ContentLength > _policy.MaxResponseBytes)
                {
                    throw TooLarge(request, response.StatusCode);
                }

                await using var body = new CappedStream(await response.Content.ReadAsStreamAsync(timeout.Token), _policy.MaxResponseBytes);
                return await read(response, body, timeout.Token);
            }
        }
        catch (ResponseTooLargeException)
        {
            // The abandoned answer's chunks (up to the cap) may have outlived the young collections while it was read; give
            // them back now rather than when the heap next fills, so a server sending answer after endless answer cannot
            // stack them up. This is the one place Marquee asks for a collection: an answer past the cap is never routine.
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: false);
            throw TooLarge(request, null);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Decided by what bounded this request's timer when it was set, not by reading the clock again: a timer may fire a
            // hair before the budget's own measure says it is spent.
            var within = budget is not null && timeoutAfter < _policy.RequestTimeout ? $"the {budget.Total.TotalSeconds:0.#} s a connection test may take" : $"{timeoutAfter.TotalSeconds:0.#} s";
            throw Failure(request, null, ProviderFailure.TimedOut, $"no answer within {within}", ex, transient: true);
        }
        catch (HttpRequestException ex)
        {
            throw ex.HttpRequestError switch
            {
                HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError =>
                    Failure(request, null, ProviderFailure.Refused, $"cannot connect ({ex.Message})", ex, transient: true),
                HttpRequestError.SecureConnectionError =>
                    Failure(request, null, ProviderFailure.Tls, $"the TLS handshake failed ({Innermost(ex)}); check the URL's scheme (http or https) and the server's certificate", ex, transient: false),
                _ => Failure(request, null, ProviderFailure.Dropped, $"connection failed ({ex.HttpRequestError}: {Innermost(ex)})", ex, transient: true),
            };
        }
        catch (IOException ex)
        {
            throw Failure(request, null, ProviderFailure.Dropped, $"connection dropped ({ex.Message})", ex, transient: true);
        }
        finally
        {
            gate?.Release();
        }
    }

    /// <summary>A reader that deserialises JSON, calling a body that is not the expected JSON <see cref="ProviderFailure.WrongContent"/> (worth one more try for reads).</summary>
    public Func<HttpResponseMessage, Stream, CancellationToken, Task<T>> Json<T>(ProviderRequest request, JsonTypeInfo<T> type) =>
        async (response, stream, ct) =>
        {
            try
            {
                using var body = await BodyBuffer.ReadAsync(stream, ct);
                var reader = new Utf8JsonReader(body.Sequence);
                return JsonSerializer.Deserialize(ref reader, type)
                    ?? throw Failure(request, response.StatusCode, ProviderFailure.WrongContent, "the answer was empty where JSON was expected", null, transient: false);
            }
            catch (JsonException ex)
            {
                throw Failure(request, response.StatusCode, ProviderFailure.WrongContent, $"the answer is not the expected JSON ({Describe(response)}; {ex.Message})", ex, transient: true);
            }
        };

    /// <summary>Builds a failure of <paramref name="request"/> that is not an HTTP status (an unexpected answer, a missing field).</summary>
    public ProviderException Failure(ProviderRequest request, HttpStatusCode? status, ProviderFailure failure, string detail, Exception? inner, bool transient) =>
        new(_provider, status, $"{request.Server}: {request.Endpoint}: {detail}", inner) { Endpoint = request.Endpoint, IsTransient = transient, Failure = failure };

    /// <summary>The content type of an answer, for messages.</summary>
    public static string Describe(HttpResponseMessage response) => $"content type {response.Content.Headers.ContentType?.MediaType ?? "none"}";

    private static bool IsRedirect(HttpStatusCode status) => (int)status is >= 300 and < 400 and not 304;

    private static string Origin(Uri uri) => uri.IsAbsoluteUri ? uri.GetLeftPart(UriPartial.Authority) : uri.ToString();

    private static string Innermost(Exception ex)
    {
        while (ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }

        return ex.Message;
    }

    private Uri Redirect(ProviderRequest request, Uri from, HttpResponseMessage response, int hop)
    {
        var status = response.StatusCode;
        if (response.Headers.Location is not { } location)
        {
            throw Failure(request, status, ProviderFailure.Redirect, $"{(int)status} {status} without a Location", null, transient: false);
        }

        var target = location.IsAbsoluteUri ? location : new Uri(from, location);
        var sameOrigin = target.Scheme is "http" or "https"
            && string.Equals(target.Scheme, from.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(target.IdnHost, from.IdnHost, StringComparison.OrdinalIgnoreCase)
            && target.Port == from.Port;
        if (!sameOrigin)
        {
            throw Failure(request, status, ProviderFailure.Redirect, $"{(int)status} {status}: redirected to {Origin(target)}; Marquee does not follow redirects carrying the {request.Credential} to another address (if that address is right, set it as the connection's URL)", null, transient: false);
        }

        if (request.Method != HttpMethod.Get)
        {
            throw Failure(request, status, ProviderFailure.Redirect, $"{(int)status} {status}: redirected to {target.AbsolutePath}; Marquee follows redirects for reads only", null, transient: false);
        }

        if (hop >= MaxRedirects)
        {
            throw Failure(request, status, ProviderFailure.Redirect, $"{(int)status} {status}: redirected more than {MaxRedirects} times (a redirect loop)", null, transient: false);
        }

        return target;
    }

    private ProviderException TooLarge(ProviderRequest request, HttpStatusCode? status) =>
        Failure(request, status, ProviderFailure.TooLarge, $"the answer is larger than {_policy.MaxResponseBytes:N0} bytes (Marquee:Providers:MaxResponseBytes)", null, transient: false);

    private async Task<ProviderException> FailureAsync(ProviderRequest request, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = response.StatusCode;
        var body = await ShortBodyAsync(response, cancellationToken);
        var retryAfter = RetryAfter.Wait(response.Headers.RetryAfter, _time.GetUtcNow());

        var detail = status switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => $"{(int)status} {status}: the {request.Credential} was refused{(body.Length > 0 ? " (" + body + ")" : string.Empty)}",
            HttpStatusCode.TooManyRequests => $"429 rate limited{(retryAfter is { } wait ? $", retry after {wait.TotalSeconds:0.#} s" : string.Empty)}",
            _ => $"{(int)status} {status}{(body.Length > 0 ? ": " + body : string.Empty)}",
        };
        var transient = status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)status >= 500;
        return new ProviderException(_provider, status, $"{request.Server}: {request.Endpoint}: {detail}")
        {
            Endpoint = request.Endpoint,
            RetryAfter = retryAfter,
            IsTransient = transient,
        };
    }

    /// <summary>The first few KB of an error answer, markup dropped, for the message; an endless error page is not read to its end.</summary>
    private static async Task<string> ShortBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[ErrorBodyBytes];
            var length = 0;
            int read;
            while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
            {
                length += read;
            }

            var text = Encoding.UTF8.GetString(buffer, 0, length);
            if (text.TrimStart().StartsWith('<'))
            {
                // HTML/XML error pages: keep the title, drop the markup.
                text = System.Text.RegularExpressions.Regex.Replace(text, "<[^>]+>", " ");
            }

            text = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
            return text.Length > 200 ? text[..200] + "…" : text;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            return string.Empty;
        }
    }

    private sealed record Budget(TimeProvider Time, long Started, TimeSpan Total)
    {
        public TimeSpan Remaining(TimeSpan perRequest)
        {
            var left = Total - Time.GetElapsedTime(Started);
            return left < perRequest ? left : perRequest;
        }
    }

    /// <summary>Thrown by <see cref="CappedStream"/> past the limit; not an <see cref="IOException"/>, so it is never taken for a dropped connection and retried.</summary>
    private sealed class ResponseTooLargeException() : Exception("The answer is larger than the configured limit.");

    /// <summary>A read-only view of an answer that fails once more than the limit has been read, so memory stays bounded whatever the server sends.</summary>
    private sealed class CappedStream(Stream inner, long limit) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _read;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync();
            await base.DisposeAsync();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        private int Count(int read)
        {
            _read += read;
            return _read > limit ? throw new ResponseTooLargeException() : read;
        }
    }
}
