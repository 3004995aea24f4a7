using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Marquee.TestKit;

/// <summary>One request a <see cref="ReceivingServer"/> answered.</summary>
/// <param name="Number">The request's arrival number, from 1 (requests abandoned by the sender count too).</param>
/// <param name="IdempotencyKey">The Idempotency-Key header.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path and query.</param>
/// <param name="Body">The body as text.</param>
/// <param name="ArrivedAt">When the request arrived.</param>
/// <param name="Status">The status code it was answered with.</param>
public sealed record ReceivedRequest(int Number, string? IdempotencyKey, string Method, string Path, string Body, DateTimeOffset ArrivedAt, int Status)
{
    /// <summary>Gets the request's headers (names compared case-insensitively; repeated values joined by commas).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// A receiving server for outbox deliveries: real Kestrel on 127.0.0.1 port 0. It answers each request with the status
/// the test's script returns (the script may set headers, wait, or wait until the sender gives up) and records every
/// request it answered, so tests count deliveries per idempotency key.
/// </summary>
public sealed class ReceivingServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedRequest> _answered = new();
    private readonly Func<int, HttpContext, Task<int>> _answer;
    private int _arrived;

    private ReceivingServer(WebApplication app, Func<int, HttpContext, Task<int>> answer)
    {
        _app = app;
        _answer = answer;
    }

    public Uri BaseUri { get; private set; } = null!;

    /// <summary>Gets how many requests arrived, answered or not.</summary>
    public int Arrived => Volatile.Read(ref _arrived);

    /// <summary>Gets the requests answered, in the order their answers were decided.</summary>
    public IReadOnlyList<ReceivedRequest> Answered => [.. _answered];

    /// <summary>Starts a server; <paramref name="answer"/> gets the arrival number and the request and returns the status (200 when null).</summary>
    public static async Task<ReceivingServer> StartAsync(Func<int, HttpContext, Task<int>>? answer = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new ReceivingServer(app, answer ?? ((_, _) => Task.FromResult(200)));
        app.Run(server.HandleAsync);
        await app.StartAsync();
        server.BaseUri = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return server;
    }

    /// <summary>How many requests with each idempotency key were answered with a 2xx.</summary>
    public IReadOnlyDictionary<string, int> SucceededPerKey() =>
        Answered.Where(r => r.Status is >= 200 and < 300 && r.IdempotencyKey is not null).GroupBy(r => r.IdempotencyKey!).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>Waits (up to 10 s) until <paramref name="count"/> requests were answered, for senders that deliver in the background.</summary>
    public async Task<IReadOnlyList<ReceivedRequest>> WaitForAsync(int count)
    {
        for (var i = 0; i < 500 && _answered.Count < count; i++)
        {
            await Task.Delay(20);
        }

        return Answered;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var number = Interlocked.Increment(ref _arrived);
        var at = TimeProvider.System.GetUtcNow();
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        int status;
        try
        {
            status = await _answer(number, context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The sender went away before the answer: nothing was answered.
            return;
        }

        _answered.Enqueue(new ReceivedRequest(number, context.Request.Headers["Idempotency-Key"].FirstOrDefault(), context.Request.Method, context.Request.Path + context.Request.QueryString, body, at, status)
        {
            Headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
        });
        context.Response.StatusCode = status;
    }
}
