using Marquee.Core.Configuration;
using Marquee.Core.Storage;
using Marquee.Core.Validation;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Marquee.Web.Http;

/// <summary>Turns domain exceptions into ProblemDetails responses that name the field or thing at fault.</summary>
public sealed class ProblemMapping(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ProblemDetails? details = exception switch
        {
            ValidationException v => new HttpValidationProblemDetails(
                v.Problems.GroupBy(p => p.Field.Length == 0 ? "body" : p.Field).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray()))
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "One or more fields are invalid.",
                Detail = v.Message,
            },
            NotFoundException n => new ProblemDetails { Status = StatusCodes.Status404NotFound, Title = $"No such {n.What}.", Detail = n.Message },
            ConflictException c => new HttpValidationProblemDetails(new Dictionary<string, string[]> { [c.Field] = [c.Message] })
            {
                Status = StatusCodes.Status409Conflict,
                Title = "The request conflicts with what is stored.",
                Detail = c.Message,
            },
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => new ProblemDetails
            {
                Status = StatusCodes.Status413PayloadTooLarge,
                Title = "The request body is too large.",
                Detail = $"The body exceeds the limit of {httpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize} bytes (Marquee:Server:MaxRequestBodyBytes).",
            },
            BadHttpRequestException b => new ProblemDetails { Status = b.StatusCode, Title = "Bad request.", Detail = b.Message },
            StoreException s => new ProblemDetails { Status = StatusCodes.Status503ServiceUnavailable, Title = "The store is unavailable.", Detail = s.Message },
            Marquee.Core.Providers.ProviderException p => new ProblemDetails { Status = StatusCodes.Status502BadGateway, Title = "The media server refused or failed.", Detail = p.Message },
            ConfigFileException f => new ProblemDetails { Status = StatusCodes.Status500InternalServerError, Title = "Configuration error.", Detail = f.Message },
            _ => null,
        };
        if (details is null)
        {
            return false;
        }

        httpContext.Response.StatusCode = details.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = details, Exception = exception });
    }
}
