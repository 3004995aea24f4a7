using System.Text.Json;
using Marquee.Core.Validation;
using Microsoft.AspNetCore.Http;

namespace Marquee.Web.Http;

/// <summary>Reads JSON request bodies so that every error names the field at fault.</summary>
public static class RequestBody
{
    public static async Task<T> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        if (!request.HasJsonContentType())
        {
            throw ValidationException.For("body", "The body must be JSON (Content-Type: application/json).");
        }

        try
        {
            return await JsonSerializer.DeserializeAsync<T>(request.Body, ApiJson.Strict, cancellationToken)
                ?? throw ValidationException.For("body", "The body must be a JSON object, not null.");
        }
        catch (JsonException ex)
        {
            var field = FieldFromPath(ex.Path);
            var message = ex.Message.Contains("could not be mapped", StringComparison.Ordinal)
                ? $"'{UnknownMember(ex.Message) ?? field}' is not a known field."
                : field.Length == 0
                    ? "The body is not valid JSON or not a JSON object."
                    : $"'{field}' has the wrong type or format.";
            throw ValidationException.For(UnknownMember(ex.Message) ?? (field.Length == 0 ? "body" : field), message);
        }
    }

    private static string FieldFromPath(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? string.Empty : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    // System.Text.Json names the unmapped property in its message: "The JSON property 'x' could not be mapped ...".
    private static string? UnknownMember(string message)
    {
        const string Marker = "The JSON property '";
        var start = message.IndexOf(Marker, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        start += Marker.Length;
        var end = message.IndexOf('\'', start);
        return end > start ? message[start..end] : null;
    }
}
