using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Marquee.Core.Webhooks;

/// <summary>Ways a webhook payload is found in a request body, shared by the providers' formats.</summary>
public static class WebhookPayloads
{
    /// <summary>
    /// Finds the part named <paramref name="part"/> of a multipart/form-data body; any other part (a thumbnail) is skipped.
    /// <paramref name="expected"/> says what the sender posts, for the error when the body is not multipart.
    /// </summary>
    public static async ValueTask<byte[]> MultipartPartAsync(string? contentType, byte[] body, string part, string expected, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var type) || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            throw new WebhookFormatException(expected);
        }

        var boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value;
        if (string.IsNullOrEmpty(boundary) || boundary.Length > 200)
        {
            throw new WebhookFormatException("The multipart boundary is missing or too long.");
        }

        try
        {
            var reader = new MultipartReader(boundary, new MemoryStream(body, writable: false)) { BodyLengthLimit = body.Length, HeadersCountLimit = 16 };
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    && disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase)
                    && HeaderUtilities.RemoveQuotes(disposition.Name).Equals(part, StringComparison.Ordinal))
                {
                    using var content = new MemoryStream();
                    await section.Body.CopyToAsync(content, cancellationToken);
                    return content.ToArray();
                }
            }
        }
        catch (IOException ex)
        {
            throw new WebhookFormatException($"The multipart body is malformed: {ex.Message}");
        }
        catch (InvalidDataException ex)
        {
            throw new WebhookFormatException($"The multipart body is malformed: {ex.Message}");
        }

        throw new WebhookFormatException($"The multipart body has no '{part}' part.");
    }
}
