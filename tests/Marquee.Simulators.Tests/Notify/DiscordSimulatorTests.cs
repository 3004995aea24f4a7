using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Marquee.Simulators.Discord;
using Marquee.Simulators.Infrastructure;

namespace Marquee.Simulators.Tests.Notify;

public sealed class DiscordSimulatorTests
{
    private static readonly string Example = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Notify", "TestData", "discord-webhook-playback-started.request.json"));

    [Fact]
    public async Task ContractExample_IsAccepted_AndListedByTheControlApi()
    {
        await using var sim = await DiscordSimulator.StartAsync(new DiscordSimulatorOptions(), CancellationToken.None);
        using var client = new HttpClient();

        using var response = await client.PostAsync(sim.DefaultWebhookUrl, Json(Example));
        var messages = await client.GetFromJsonAsync<JsonElement>(new Uri(sim.BaseUri, "/_sim/messages"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var body = messages[0].GetProperty("body");
        Assert.Equal("alice started Severance · S02E03 · Who Is Alive?", body.GetProperty("embeds")[0].GetProperty("title").GetString());
        Assert.Equal("1300000000000000000", messages[0].GetProperty("webhookId").GetString());
    }

    [Fact]
    public async Task TwoSimulators_RefuseEachOthersWebhook_UnlessGivenTheSameToken()
    {
        // A sender still holding one simulator's webhook URL reaches another on the same port (the system hands ports
        // out again): the other refuses it, so no test sees a message that was not meant for it.
        await using var first = await DiscordSimulator.StartAsync(new DiscordSimulatorOptions(), CancellationToken.None);
        await using var second = await DiscordSimulator.StartAsync(new DiscordSimulatorOptions(), CancellationToken.None);
        await using var named = await DiscordSimulator.StartAsync(new DiscordSimulatorOptions { WebhookToken = "sim-webhook-token" }, CancellationToken.None);
        using var client = new HttpClient();

        using var stray = await client.PostAsync(new Uri(second.BaseUri, first.DefaultWebhookUrl.PathAndQuery), Json(Example));
        using var own = await client.PostAsync(second.DefaultWebhookUrl, Json(Example));
        using var documented = await client.PostAsync(new Uri(named.BaseUri, "/api/webhooks/1300000000000000000/sim-webhook-token"), Json(Example));

        Assert.NotEqual(first.DefaultWebhookUrl.PathAndQuery, second.DefaultWebhookUrl.PathAndQuery);
        Assert.Equal(HttpStatusCode.NotFound, stray.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, own.StatusCode);
        Assert.Single(second.State.Messages);
        Assert.Equal(HttpStatusCode.NoContent, documented.StatusCode);
    }

    [Fact]
    public async Task WaitTrue_AnswersWithTheCreatedMessage()
    {
        await using var sim = await DiscordSimulator.StartAsync(new DiscordSimulatorOptions(), CancellationToken.None);
        using var client = new HttpClient();

        using var response = await client.PostAsync(new Uri(sim.DefaultWebhookUrl + "?wait=true"), Json(Example));
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(15048717, created.GetProperty("embeds")[0].GetProperty("color").GetInt32());
        Assert.False(string.IsNullOrEmpty(created.GetProperty("id").GetString()));
    }

    [Theory]
    [InlineData("title", 257, "embeds.0.title")]
    [InlineData("description", 4097, "embeds.0.description")]
    [InlineData("footer", 2049, "embeds.0.footer.text")]
    [InlineData("author", 257, "embeds.0.author.name")]
    [InlineData("fieldName", 257, "embeds.0.fields.0.name")]
    [InlineData("fieldValue", 1025, "embeds.0.fields.0.value")]
    [InlineData("content", 2001, "content")]
    public async Task OverLongText_Is400With50035_NamingTheField(string which, int length, string path)
    {
        await using var sim = await DiscordSimulator.StartAsync(new DiscordSimulatorOptions(), CancellationToken.None);
        using var client = new HttpClient();
        var text = new string('x', length);
        object embed = which switch
        {
            "title" => new { title = text },
            "description" => new { description = text },
            "footer" => new { title = "t", footer = new { text } },
            "author" => new { title = "t", author = new { name = text } },
            "fieldName" => new { fields = new[] { new { name = text, value = "v" } } },
            "fieldValue" => new { fields = new[] { new { name = "n", value = text } } },
            _ => new { title = "t" },
        };
        object body = which == "content" ? new { content = text } : new { embeds = new[] { embed } };

        using var response = await client.PostAsJsonAsync(sim.DefaultWebhookUrl, body);
        var error = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(50035, error.GetProperty("code").GetInt32());
        var node = error.GetProperty("errors");
        foreach (var segment in path.Split('.'))
        {
            node = node.GetProperty(segment);
        }

        Assert.Equal("BASE_TYPE_MAX_LENGTH", node.GetProperty("_errors")[0].GetProperty("code").GetString());
        Assert.Empty(sim.State.Messages);
    }

    [Fact]
    public async Task TooManyFieldsEmbedsOrCharacters_AndEmptyFieldValues_AreRefused()
    {
        await using var sim = await DiscordSimulator.StartAsync(new DiscordSimulatorOptions { RateLimit = 0 }, CancellationToken.None);
        using var client = new HttpClient();
        var fields = Enumerable.Range(0, 26).Select(i => new { name = $"n{i}", value = "v" }).ToArray();
        var embeds = Enumerable.Range(0, 11).Select(i => new { title = "t" }).ToArray();
        var big = Enumerable.Range(0, 2).Select(i => new { description = new string('d', 3500) }).ToArray();

        var tooManyFields = await StatusAsync(client, sim.DefaultWebhookUrl, new { embeds = new[] { new { fields } } });
        var tooManyEmbeds = await StatusAsync(client, sim.DefaultWebhookUrl, new { embeds });
        var overTotal = await StatusAsync(client, sim.DefaultWebhookUrl, new { embeds = big });
        var emptyValue = await StatusAsync(client, sim.DefaultWebhookUrl, new { embeds = new[] { new { fields = new[] { new { name = "n", value = string.Empty } } } } });
        var empty = await StatusAsync(client, sim.DefaultWebhookUrl, new { content = string.Empty });

        Assert.Equal((400, 50035), tooManyFields);
        Assert.Equal((400, 50035), tooManyEmbeds);
        Assert.Equal((400, 50035), overTotal);
        Assert.Equal((400, 50035), emptyValue);
        Assert.Equal((400, 50006), empty);
        Assert.Equal(5, sim.State.Executions.Count);
        Assert.Empty(sim.State.Messages);
    }

    [Fact]
    public async Task PostingTooFast_Is429WithRetryAfterInBodyAndHeader_ThenAcceptedAfterTheWait()
    {
        await using var sim = await DiscordSimulator.StartAsync(new DiscordSimulatorOptions { RateLimit = 2, RateWindowSeconds = 3 }, CancellationToken.None);
        using var client = new HttpClient();

        using var first = await client.PostAsJsonAsync(sim.DefaultWebhookUrl, new { content = "1" });
        using var second = await client.PostAsJsonAsync(sim.DefaultWebhookUrl, new { content = "2" });
        using var third = await client.PostAsJsonAsync(sim.DefaultWebhookUrl, new { content = "3" });
        var limited = await third.Content.ReadFromJsonAsync<JsonElement>();
        var retryAfter = limited.GetProperty("retry_after").GetDouble();
        await Task.Delay(TimeSpan.FromSeconds(retryAfter) + TimeSpan.FromMilliseconds(50));
        using var fourth = await client.PostAsJsonAsync(sim.DefaultWebhookUrl, new { content = "3" });

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.InRange(retryAfter, 0.001, 3.0);
        Assert.False(limited.GetProperty("global").GetBoolean());
        Assert.NotNull(third.Headers.RetryAfter?.Delta);
        Assert.Equal("0", third.Headers.GetValues("X-RateLimit-Remaining").Single());
        Assert.Equal(HttpStatusCode.NoContent, fourth.StatusCode);
        Assert.Equal(["1", "2", "3"], sim.State.Messages.Select(m => m.Body!["content"]!.GetValue<string>()));
    }

    [Fact]
    public async Task UnknownOrDeletedWebhook_Is404()
    {
        await using var sim = await DiscordSimulator.StartAsync(new DiscordSimulatorOptions(), CancellationToken.None);
        using var client = new HttpClient();
        var created = await (await client.PostAsJsonAsync(new Uri(sim.BaseUri, "/_sim/webhooks"), new { })).Content.ReadFromJsonAsync<JsonElement>();
        var url = new Uri(created.GetProperty("url").GetString()!);

        using var before = await client.PostAsJsonAsync(url, new { content = "hi" });
        using var deleted = await client.DeleteAsync(new Uri(sim.BaseUri, $"/_sim/webhooks/{created.GetProperty("id").GetString()}"));
        using var after = await client.PostAsJsonAsync(url, new { content = "hi" });
        using var wrongToken = await client.PostAsJsonAsync(new Uri(sim.BaseUri, "/api/webhooks/1300000000000000000/wrong"), new { content = "hi" });
        var error = await after.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.NoContent, before.StatusCode);
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
        Assert.Equal(10015, error.GetProperty("code").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, wrongToken.StatusCode);
    }

    [Fact]
    public async Task ControlApi_SetsTheRateLimitAndFaultsThatLiftThemselves()
    {
        await using var sim = await DiscordSimulator.StartAsync(new DiscordSimulatorOptions(), CancellationToken.None);
        using var client = new HttpClient();

        using var badLimit = await client.PutAsJsonAsync(new Uri(sim.BaseUri, "/_sim/ratelimit"), new { requests = -1, windowSeconds = 1 });
        using var limit = await client.PutAsJsonAsync(new Uri(sim.BaseUri, "/_sim/ratelimit"), new { requests = 0, windowSeconds = 1 });
        using var fault = await client.PutAsJsonAsync(new Uri(sim.BaseUri, "/_sim/faults"), new { endpoint = "POST /api/webhooks/{webhookId}/{token}", spec = new FaultSpec { Error503 = 1, Times = 1 } });
        using var failed = await client.PostAsJsonAsync(sim.DefaultWebhookUrl, new { content = "a" });
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++)
        {
            using var ok = await client.PostAsJsonAsync(sim.DefaultWebhookUrl, new { content = "b" });
            statuses.Add(ok.StatusCode);
        }

        Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);
        Assert.Equal(HttpStatusCode.OK, limit.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fault.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.NoContent, s));
    }

    [Theory]
    [InlineData("{\"content\":")]
    [InlineData("{\"content\":\"a\",\"content\":\"b\"}")]
    [InlineData("{\"embeds\":[{\"title\":\"a\",\"title\":\"b\"}]}")]
    public async Task InvalidJson_Is400(string body)
    {
        await using var sim = await DiscordSimulator.StartAsync(new DiscordSimulatorOptions(), CancellationToken.None);
        using var client = new HttpClient();

        using var response = await client.PostAsync(sim.DefaultWebhookUrl, Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(50109, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task MultipartUpload_WithPayloadJsonAndAFile_IsAccepted_AndTheFileIsRecorded()
    {
        await using var sim = await DiscordSimulator.StartAsync(new DiscordSimulatorOptions(), CancellationToken.None);
        using var client = new HttpClient();
        var poster = Enumerable.Range(0, 5000).Select(i => (byte)(i * 7)).ToArray();
        using var form = new MultipartFormDataContent
        {
            { Json("""{"embeds":[{"title":"alice started Arrival","thumbnail":{"url":"attachment://poster.jpg"}}],"attachments":[{"id":0,"filename":"poster.jpg"}]}"""), "payload_json" },
        };
        var file = new ByteArrayContent(poster);
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("image/jpeg");
        form.Add(file, "files[0]", "poster.jpg");

        using var response = await client.PostAsync(sim.DefaultWebhookUrl, form);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var message = Assert.Single(sim.State.Messages);
        Assert.Equal("attachment://poster.jpg", message.Body!["embeds"]![0]!["thumbnail"]!["url"]!.GetValue<string>());
        var uploaded = Assert.Single(message.Files!);
        Assert.Equal(("files[0]", "poster.jpg", "image/jpeg"), (uploaded.Field, uploaded.FileName, uploaded.ContentType));
        Assert.Equal(poster, uploaded.Data);
    }

    [Fact]
    public async Task MultipartUpload_OverTheUploadLimit_Is413With40005_AndNothingIsRecordedAsAMessage()
    {
        await using var sim = await DiscordSimulator.StartAsync(new DiscordSimulatorOptions(), CancellationToken.None);
        using var client = new HttpClient();
        using var form = new MultipartFormDataContent
        {
            { Json("""{"content":"big"}"""), "payload_json" },
            { new ByteArrayContent(new byte[(25 * 1024 * 1024) + 1]), "files[0]", "poster.jpg" },
        };

        using var response = await client.PostAsync(sim.DefaultWebhookUrl, form);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(40005, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetInt32());
        Assert.Empty(sim.State.Messages);
    }

    [Fact]
    public async Task MultipartUpload_WithNeitherTextNorFile_IsAnEmptyMessage_AndBadPayloadJsonIs50109()
    {
        await using var sim = await DiscordSimulator.StartAsync(new DiscordSimulatorOptions(), CancellationToken.None);
        using var client = new HttpClient();

        using var empty = await client.PostAsync(sim.DefaultWebhookUrl, new MultipartFormDataContent { { Json("{}"), "payload_json" } });
        using var bad = await client.PostAsync(sim.DefaultWebhookUrl, new MultipartFormDataContent { { Json("{\"content\":"), "payload_json" } });

        Assert.Equal(50006, (await empty.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetInt32());
        Assert.Equal(50109, (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetInt32());
        Assert.Empty(sim.State.Messages);
    }

    [Theory]
    [InlineData("thumbnail", "url")]
    [InlineData("image", "url")]
    [InlineData("author", "icon_url")]
    public async Task AttachmentReference_ToAFileNotUploaded_Is400With50035_NamingTheField(string owner, string field)
    {
        await using var sim = await DiscordSimulator.StartAsync(new DiscordSimulatorOptions { RateLimit = 0 }, CancellationToken.None);
        using var client = new HttpClient();
        var embed = $$$"""{"title":"t","{{{owner}}}":{"{{{field}}}":"attachment://poster.jpg"}}""";
        using var form = new MultipartFormDataContent { { Json($$"""{"embeds":[{{embed}}]}"""), "payload_json" }, { Jpeg(10), "files[0]", "other.jpg" } };

        using var multipart = await client.PostAsync(sim.DefaultWebhookUrl, form);
        using var json = await client.PostAsync(sim.DefaultWebhookUrl, Json($$"""{"embeds":[{{embed}}]}"""));
        var error = await multipart.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, multipart.StatusCode);
        Assert.Equal(50035, error.GetProperty("code").GetInt32());
        var problem = error.GetProperty("errors").GetProperty("embeds").GetProperty("0").GetProperty(owner).GetProperty(field).GetProperty("_errors")[0];
        Assert.Contains("attachment://poster.jpg", problem.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, json.StatusCode);
        Assert.Empty(sim.State.Messages);
    }

    [Fact]
    public async Task AFileOverTheFileLimit_Is413With40005()
    {
        await using var sim = await DiscordSimulator.StartAsync(new DiscordSimulatorOptions { MaxFileBytes = 1000 }, CancellationToken.None);
        using var client = new HttpClient();
        using var form = new MultipartFormDataContent
        {
            { Json("""{"embeds":[{"title":"t","thumbnail":{"url":"attachment://poster.jpg"}}]}"""), "payload_json" },
            { Jpeg(1001), "files[0]", "poster.jpg" },
        };

        using var response = await client.PostAsync(sim.DefaultWebhookUrl, form);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(40005, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetInt32());
        Assert.Empty(sim.State.Messages);
    }

    [Fact]
    public async Task Attachments_AreListedByTheControlApi_WithNameContentTypeAndSize()
    {
        await using var sim = await DiscordSimulator.StartAsync(new DiscordSimulatorOptions(), CancellationToken.None);
        using var client = new HttpClient();
        using var form = new MultipartFormDataContent
        {
            { Json("""{"embeds":[{"title":"t","thumbnail":{"url":"attachment://poster.jpg"}}]}"""), "payload_json" },
            { Jpeg(1234), "files[0]", "poster.jpg" },
        };

        using var response = await client.PostAsync(sim.DefaultWebhookUrl, form);
        var messages = await client.GetFromJsonAsync<JsonElement>(new Uri(sim.BaseUri, "/_sim/messages"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var file = messages[0].GetProperty("files")[0];
        Assert.Equal("poster.jpg", file.GetProperty("fileName").GetString());
        Assert.Equal("image/jpeg", file.GetProperty("contentType").GetString());
        Assert.Equal(1234, file.GetProperty("size").GetInt32());
    }

    private static ByteArrayContent Jpeg(int size)
    {
        var content = new ByteArrayContent(new byte[size]);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("image/jpeg");
        return content;
    }

    private static async Task<(int Status, int Code)> StatusAsync(HttpClient client, Uri url, object body)
    {
        using var response = await client.PostAsJsonAsync(url, body);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        return ((int)response.StatusCode, json.GetProperty("code").GetInt32());
    }

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");
}
