using System.Net;
using System.Text.Json;

namespace Marquee.Web.Tests.Infrastructure;

public static class Problems
{
    /// <summary>Asserts a ProblemDetails response with the status, and returns it.</summary>
    public static async Task<JsonElement> AssertProblemAsync(this MarqueeApp app, HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        return problem;
    }

    /// <summary>Asserts a 400 validation problem whose errors name <paramref name="field"/>, and returns that field's messages.</summary>
    public static async Task<string> AssertFieldErrorAsync(this MarqueeApp app, HttpResponseMessage response, string field)
    {
        var problem = await app.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"errors do not name '{field}': {errors}");
        var text = string.Join(" ", messages.EnumerateArray().Select(m => m.GetString()));
        Assert.False(string.IsNullOrWhiteSpace(text));
        return text;
    }
}
