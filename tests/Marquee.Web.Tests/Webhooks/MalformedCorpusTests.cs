using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Marquee.Core.Webhooks;
using Marquee.Web.Tests.Infrastructure;

namespace Marquee.Web.Tests.Webhooks;

public sealed class MalformedCorpusTests
{
    private const string Boundary = "------------------------5a2f";

    public static TheoryData<string> Cases() => [.. Corpus().Keys];

    [Fact]
    public async Task Corpus_Interleaved_With_ValidDeliveries_4xx_NoCrash_NoValidDeliveryLost()
    {
        await using var app = await MarqueeApp.StartAsync(WebhookKit.Settings());
        var valid = 0;
        var rejected = 0;
        foreach (var (name, make) in Corpus())
        {
            // A valid delivery before each bad one, each for another item so each gives its own event.
            using (var good = WebhookKit.Multipart(WebhookKit.Scrobble(ratingKey: (2000 + valid).ToString(System.Globalization.CultureInfo.InvariantCulture))))
            {
                Assert.Equal(HttpStatusCode.OK, (await app.Client.PostAsync(WebhookKit.Path(), good)).StatusCode);
                valid++;
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, WebhookKit.Path()) { Content = make() };
            var status = await SendAsync(app, request);
            Assert.True(status is >= 400 and < 500, $"{name}: {status}");
            if (status == 400)
            {
                rejected++;
            }
        }

        Assert.Equal(HttpStatusCode.OK, (await app.Client.GetAsync("/healthz")).StatusCode);
        var counts = await WebhookKit.WaitHandledAsync(app, valid + rejected);
        Assert.Equal(valid, counts.Count(InboxStatus.Handled));
        Assert.Equal(rejected, counts.Count(InboxStatus.Rejected));
        Assert.Equal(valid, counts.LiveEvents);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task EachMalformedBody_Gets4xx(string name)
    {
        await using var app = await MarqueeApp.StartAsync(WebhookKit.Settings());

        using var request = new HttpRequestMessage(HttpMethod.Post, WebhookKit.Path()) { Content = Corpus()[name]() };
        var status = await SendAsync(app, request);

        Assert.True(status is >= 400 and < 500, $"{name}: {status}");
        Assert.Equal(0, (await WebhookKit.CountsAsync(app)).Count(InboxStatus.Pending));
    }

    [Fact]
    public async Task MalformedBody_IsKeptForDiagnosis()
    {
        await using var app = await MarqueeApp.StartAsync(WebhookKit.Settings());

        using var content = WebhookKit.Multipart("{\"event\":\"media.scrobble\",");
        var response = await app.Client.PostAsync(WebhookKit.Path(), content);

        var problem = await app.JsonAsync(response);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("not valid JSON", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var recent = await app.JsonAsync(await app.Client.GetAsync("/api/webhooks/deliveries"));
        Assert.Equal(InboxStatus.Rejected, recent[0].GetProperty("inboxStatus").GetString());
        var stored = await Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<IInboxStore>(app.Services)
            .GetAsync(recent[0].GetProperty("id").GetInt64(), CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Contains("media.scrobble", Encoding.UTF8.GetString(stored.Body), StringComparison.Ordinal);
        Assert.StartsWith("multipart/form-data", stored.ContentType, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BodyOverTheLimit_413_BeforeItIsReadToTheEnd()
    {
        await using var app = await MarqueeApp.StartAsync(WebhookKit.Settings(("Marquee:Webhooks:MaxBodyBytes", "65536")));
        var stream = new CountingStream(50L * 1024 * 1024);
        using var content = new StreamContent(stream);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={Boundary}");
        using var chunked = new HttpRequestMessage(HttpMethod.Post, WebhookKit.Path()) { Content = content };
        chunked.Headers.TransferEncodingChunked = true;

        var status = await SendAsync(app, chunked);

        Assert.Equal(413, status);
        Assert.True(stream.Consumed < 50L * 1024 * 1024, $"read {stream.Consumed} bytes");
        Assert.Empty((await WebhookKit.CountsAsync(app)).ByStatus);
        using var good = WebhookKit.Multipart(WebhookKit.Scrobble());
        Assert.Equal(HttpStatusCode.OK, (await app.Client.PostAsync(WebhookKit.Path(), good)).StatusCode);
    }

    private static async Task<int> SendAsync(MarqueeApp app, HttpRequestMessage request)
    {
        try
        {
            using var response = await app.Client.SendAsync(request);
            return (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            // The server answered 413 and closed the connection while the client was still sending: the body was
            // not read to the end. The client cannot see the status then; the store must be unchanged.
            return 413;
        }
    }

    private static Dictionary<string, Func<HttpContent>> Corpus()
    {
        static HttpContent Raw(string body, string contentType)
        {
            var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            return content;
        }

        static HttpContent Part(string payload) => WebhookKit.Multipart(payload, thumb: false);

        var multipart = $"multipart/form-data; boundary={Boundary}";
        var full = $"--{Boundary}\r\nContent-Disposition: form-data; name=\"payload\"\r\nContent-Type: application/json\r\n\r\n{WebhookKit.Scrobble()}\r\n--{Boundary}--\r\n";
        return new Dictionary<string, Func<HttpContent>>(StringComparer.Ordinal)
        {
            ["truncated multipart"] = () => Raw(full[..(full.Length / 2)], multipart),
            ["truncated headers"] = () => Raw($"--{Boundary}\r\nContent-Disposition: form-da", multipart),
            ["no boundary"] = () => Raw(full, "multipart/form-data"),
            ["wrong boundary"] = () => Raw(full, "multipart/form-data; boundary=other"),
            ["json content type"] = () => Raw(WebhookKit.Scrobble(), "application/json"),
            ["form urlencoded"] = () => Raw("payload=" + Uri.EscapeDataString(WebhookKit.Scrobble()), "application/x-www-form-urlencoded"),
            ["text content type"] = () => Raw("hello", "text/plain"),
            ["no content type"] = () => new ByteArrayContent(Encoding.UTF8.GetBytes(full)),
            ["empty body"] = () => Raw(string.Empty, multipart),
            ["no payload part"] = () =>
            {
                var content = new MultipartFormDataContent(Boundary);
                content.Add(new ByteArrayContent(new byte[16]), "thumb", "image.jpg");
                return content;
            },
            ["payload part under another name"] = () =>
            {
                var content = new MultipartFormDataContent(Boundary);
                content.Add(new StringContent(WebhookKit.Scrobble()), "payloads");
                return content;
            },
            ["invalid json"] = () => Part("{\"event\":\"media.scrobble\",\"Account\":"),
            ["not json at all"] = () => Part("<xml/>"),
            ["json array"] = () => Part("[]"),
            ["json null"] = () => Part("null"),
            ["missing event"] = () => Part("{\"Account\":{\"id\":1},\"Metadata\":{\"ratingKey\":\"1\"}}"),
            ["event is a number"] = () => Part("{\"event\":12,\"Account\":{\"id\":1},\"Metadata\":{\"ratingKey\":\"1\"}}"),
            ["unknown event"] = () => Part("{\"event\":\"media.teleport\",\"Account\":{\"id\":1},\"Metadata\":{\"ratingKey\":\"1\"}}"),
            ["empty event"] = () => Part("{\"event\":\"\"}"),
            ["missing metadata"] = () => Part("{\"event\":\"media.scrobble\",\"Account\":{\"id\":1}}"),
            ["missing account"] = () => Part("{\"event\":\"media.scrobble\",\"Metadata\":{\"ratingKey\":\"1\"}}"),
            ["metadata is a string"] = () => Part("{\"event\":\"media.scrobble\",\"Account\":{\"id\":1},\"Metadata\":\"1001\"}"),
            ["rating key is an object"] = () => Part("{\"event\":\"media.scrobble\",\"Account\":{\"id\":1},\"Metadata\":{\"ratingKey\":{}}}"),
            ["view offset is text"] = () => Part("{\"event\":\"media.stop\",\"Account\":{\"id\":1},\"Metadata\":{\"ratingKey\":\"1\",\"viewOffset\":\"late\"}}"),
            ["rating is text"] = () => Part("{\"event\":\"media.rate\",\"rating\":\"ten\",\"Account\":{\"id\":1},\"Metadata\":{\"ratingKey\":\"1\"}}"),
            ["account id is a bool"] = () => Part("{\"event\":\"media.scrobble\",\"Account\":{\"id\":false},\"Metadata\":{\"ratingKey\":\"1\"}}"),
            ["deeply nested"] = () => Part("{\"event\":\"media.scrobble\",\"x\":" + new string('[', 200) + new string(']', 200) + "}"),
            ["binary garbage"] = () =>
            {
                var content = new ByteArrayContent([.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 7))]);
                content.Headers.ContentType = MediaTypeHeaderValue.Parse(multipart);
                return content;
            },
            ["50 MB body"] = () =>
            {
                var content = new StreamContent(new CountingStream(50L * 1024 * 1024));
                content.Headers.ContentType = MediaTypeHeaderValue.Parse(multipart);
                content.Headers.ContentLength = 50L * 1024 * 1024;
                return content;
            },
        };
    }

    /// <summary>A stream of spaces of a given length that counts how much was read from it.</summary>
    internal sealed class CountingStream(long length) : Stream
    {
        public long Consumed { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => Consumed; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - Consumed);
            buffer.AsSpan(offset, n).Fill((byte)' ');
            Consumed += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
