using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Marquee.Core.Providers;
using Marquee.Providers.Plex;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Providers.Tests.Http;

/// <summary>
/// Issue 13, findings 2, 4, 5 and 6 at the HTTP edge: a token never follows a redirect to another origin, a redirect to
/// <c>file://</c> or in a loop is a clear error, an endless answer stops at the size cap, and a connection test ends
/// within about 10 s with one reason. Real Kestrel listeners on loopback; the real providers.
/// </summary>
public sealed class ProviderHttpTrustTests
{
    public static TheoryData<string> Kinds => new() { "plex", "jellyfin" };

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task TokenExfiltration_RedirectToAnotherOrigin_TheOtherHostNeverReceivesTheToken(string kind)
    {
        await using var elsewhere = await TestHttpServer.StartAsync(c => c.Response.WriteAsync("{}"));
        await using var server = await TestHttpServer.StartAsync(c =>
        {
            c.Response.StatusCode = StatusCodes.Status302Found;
            c.Response.Headers.Location = new Uri(elsewhere.Uri, c.Request.Path.Value!.TrimStart('/')).ToString();
            return Task.CompletedTask;
        });
        await using var services = TestHttpServer.Services();

        var problems = await Test(services, kind, server.Uri);

        var problem = Assert.Single(problems);
        Assert.Equal("url", problem.Field);
        Assert.StartsWith("redirect: ", problem.Message, StringComparison.Ordinal);
        Assert.Contains($"redirected to {elsewhere.Origin}", problem.Message, StringComparison.Ordinal);
        Assert.Contains("does not follow redirects carrying the", problem.Message, StringComparison.Ordinal);
        Assert.NotEmpty(server.Requests);
        Assert.Empty(elsewhere.Requests);
    }

    [Fact]
    public async Task TokenExfiltration_LiveServiceClient_DoesNotFollowRedirects()
    {
        await using var elsewhere = await TestHttpServer.StartAsync(c => c.Response.WriteAsync("{}"));
        await using var server = await TestHttpServer.StartAsync(c =>
        {
            c.Response.StatusCode = StatusCodes.Status307TemporaryRedirect;
            c.Response.Headers.Location = new Uri(elsewhere.Uri, "identity").ToString();
            return Task.CompletedTask;
        });
        await using var services = TestHttpServer.Services();
        var client = services.GetRequiredService<IHttpClientFactory>().CreateClient(PlexClient.LiveHttpClientName);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.Uri, "identity"));
        request.Headers.Add("X-Plex-Token", "secret-plex-token");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.TemporaryRedirect, response.StatusCode);
        Assert.Empty(elsewhere.Requests);
    }

    [Fact]
    public async Task Redirect_SameOriginRead_IsFollowed()
    {
        await using var server = await TestHttpServer.StartAsync(async c =>
        {
            if (c.Request.Path == "/")
            {
                c.Response.Redirect("/real/");
                return;
            }

            c.Response.ContentType = "application/json";
            await c.Response.WriteAsync("""{"MediaContainer":{"machineIdentifier":"abc","size":0}}""");
        });
        await using var services = TestHttpServer.Services();

        var problems = await TestHttpServer.Plex(services, server.Uri).TestAsync(CancellationToken.None);

        Assert.Empty(problems);
        Assert.Equal(2, server.Requests.Count);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task RedirectToFileScheme_IsAClearProviderError(string kind)
    {
        await using var server = await TestHttpServer.StartAsync(c =>
        {
            c.Response.StatusCode = StatusCodes.Status302Found;
            c.Response.Headers.Location = "file:///etc/passwd";
            return Task.CompletedTask;
        });
        await using var services = TestHttpServer.Services();

        var problem = Assert.Single(await Test(services, kind, server.Uri));

        Assert.StartsWith("redirect: ", problem.Message, StringComparison.Ordinal);
        Assert.Contains("redirected to file://", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task RedirectLoop_SaysItIsALoop(string kind)
    {
        await using var server = await TestHttpServer.StartAsync(c =>
        {
            c.Response.StatusCode = StatusCodes.Status302Found;
            c.Response.Headers.Location = c.Request.Path.Value;
            return Task.CompletedTask;
        });
        await using var services = TestHttpServer.Services();

        var problem = Assert.Single(await Test(services, kind, server.Uri));

        Assert.StartsWith("redirect: ", problem.Message, StringComparison.Ordinal);
        Assert.Contains("redirect loop", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("An error occurred while sending the request", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task UnboundedMemory_EndlessJsonString_StopsAtTheSizeCap(string kind)
    {
        using var server = new EndlessServer(StatusCodes.Status200OK);
        await using var services = TestHttpServer.Services(new Dictionary<string, string?> { ["Marquee:Providers:MaxResponseBytes"] = "1000000" });
        var watch = Stopwatch.StartNew();

        var problem = Assert.Single(await Test(services, kind, server.Url));
        await Task.Delay(500);

        Assert.StartsWith("answer too large: ", problem.Message, StringComparison.Ordinal);
        Assert.Contains("larger than 1,000,000 bytes (Marquee:Providers:MaxResponseBytes)", problem.Message, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");

        // The client stopped reading at the cap: the server could push little more than that (plus socket buffers).
        Assert.True(server.Sent < 32_000_000, $"the server sent {server.Sent:N0} bytes");
        Assert.Equal(1, server.Requests);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task UnboundedMemory_EndlessErrorPage_IsReadOnlyForItsFirstBytes(string kind)
    {
        using var server = new EndlessServer(StatusCodes.Status500InternalServerError);
        await using var services = TestHttpServer.Services();
        var watch = Stopwatch.StartNew();

        var problem = Assert.Single(await Test(services, kind, server.Url));
        await Task.Delay(500);

        Assert.Contains("500 InternalServerError", problem.Message, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
        Assert.True(server.Sent < 32_000_000, $"the server sent {server.Sent:N0} bytes");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task SlowFailure_PortThatAcceptsAndNeverAnswers_TestEndsWithinAbout10Seconds(string kind)
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var accepted = new List<Socket>();
        var accepting = Task.Run(async () =>
        {
            while (true)
            {
                accepted.Add(await silent.AcceptSocketAsync());
            }
        });
        var url = new Uri($"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/");

        // Default settings: 30 s per request and 3 retries, which made this take 129 s.
        await using var services = TestHttpServer.Services(new Dictionary<string, string?> { ["Marquee:Plex:MaxRetries"] = "3", ["Marquee:Jellyfin:MaxRetries"] = "3" });
        var watch = Stopwatch.StartNew();

        var problem = Assert.Single(await Test(services, kind, url));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(12), $"took {watch.Elapsed}");
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(9), $"gave up after {watch.Elapsed}");
        Assert.Equal("url", problem.Field);
        Assert.StartsWith("timed out: ", problem.Message, StringComparison.Ordinal);
        Assert.Contains("no answer within the 10 s a connection test may take", problem.Message, StringComparison.Ordinal);
        silent.Stop();
        accepted.ForEach(s => s.Dispose());
        await Assert.ThrowsAnyAsync<Exception>(() => accepting);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task SlowFailure_Refused_SaysRefused(string kind)
    {
        await using var services = TestHttpServer.Services();
        var watch = Stopwatch.StartNew();

        var problem = Assert.Single(await Test(services, kind, new Uri($"http://127.0.0.1:{TestHttpServer.ClosedPort()}/")));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
        Assert.Equal("url", problem.Field);
        Assert.StartsWith("refused: ", problem.Message, StringComparison.Ordinal);
        Assert.Contains("cannot connect", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task SlowFailure_PlainHttpAddressedAsHttps_SaysTls(string kind)
    {
        await using var server = await TestHttpServer.StartAsync(c => c.Response.WriteAsync("{}"));
        await using var services = TestHttpServer.Services();

        var problem = Assert.Single(await Test(services, kind, new UriBuilder(server.Uri) { Scheme = "https" }.Uri));

        Assert.Equal("url", problem.Field);
        Assert.StartsWith("TLS: ", problem.Message, StringComparison.Ordinal);
        Assert.Contains("TLS handshake failed", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("plex", "text/html", "<html><body>Welcome to nginx!</body></html>", "not a Plex server: ")]
    [InlineData("plex", "application/json", """{"status":"ok"}""", "not a Plex server: ")]
    [InlineData("jellyfin", "text/html", "<html><body>Welcome to nginx!</body></html>", "not a Jellyfin server: ")]
    [InlineData("jellyfin", "application/json", """{"MediaContainer":{"machineIdentifier":"abc"}}""", "not a Jellyfin server: ")]
    public async Task SlowFailure_WrongContent_SaysNotThatServer(string kind, string contentType, string body, string reason)
    {
        await using var server = await TestHttpServer.StartAsync(c =>
        {
            c.Response.ContentType = contentType;
            return c.Response.WriteAsync(body);
        });
        await using var services = TestHttpServer.Services();

        var problem = Assert.Single(await Test(services, kind, server.Uri));

        Assert.Equal("url", problem.Field);
        Assert.StartsWith(reason, problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("plex", "token")]
    [InlineData("jellyfin", "apiKey")]
    public async Task SlowFailure_Unauthorised_SaysUnauthorisedOnTheCredential(string kind, string field)
    {
        await using var server = await TestHttpServer.StartAsync(c =>
        {
            c.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Task.CompletedTask;
        });
        await using var services = TestHttpServer.Services();

        var problem = Assert.Single(await Test(services, kind, server.Uri));

        Assert.Equal(field, problem.Field);
        Assert.StartsWith("unauthorised: ", problem.Message, StringComparison.Ordinal);
        Assert.Contains("401", problem.Message, StringComparison.Ordinal);
    }

    private static Task<IReadOnlyList<FieldProblem>> Test(IServiceProvider services, string kind, Uri url) =>
        kind == "plex" ? TestHttpServer.Plex(services, url).TestAsync(CancellationToken.None) : TestHttpServer.Jellyfin(services, url).TestAsync(CancellationToken.None);

    /// <summary>
    /// A raw HTTP/1.1 server on a socket that answers every request with the start of a JSON string and then never ends
    /// it, counting the bytes the socket took before the client hung up (Kestrel would turn writes after a hang-up into
    /// no-ops, hiding when the client stopped reading).
    /// </summary>
    private sealed class EndlessServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private long _sent;

        public EndlessServer(int status)
        {
            _listener.Start();
            Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
            _ = Task.Run(async () =>
            {
                while (true)
                {
                    var socket = await _listener.AcceptSocketAsync();
                    _ = Task.Run(() => ServeAsync(socket, status));
                }
            });
        }

        public Uri Url { get; }

        public long Sent => Interlocked.Read(ref _sent);

        public int Requests { get; private set; }

        public void Dispose() => _listener.Stop();

        private async Task ServeAsync(Socket socket, int status)
        {
            using (socket)
            {
                var request = new StringBuilder();
                var buffer = new byte[4096];
                while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var read = await socket.ReceiveAsync(buffer);
                    if (read == 0)
                    {
                        return;
                    }

                    request.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }

                Requests++;
                var head = $"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{{\"MediaContainer\":{{\"title\":\"";
                var chunk = Encoding.ASCII.GetBytes(new string('a', 64 * 1024));
                try
                {
                    await socket.SendAsync(Encoding.ASCII.GetBytes(head));
                    while (Sent < 2_000_000_000)
                    {
                        Interlocked.Add(ref _sent, await socket.SendAsync(chunk));
                    }
                }
                catch (SocketException)
                {
                    // The client hung up.
                }
            }
        }
    }
}
