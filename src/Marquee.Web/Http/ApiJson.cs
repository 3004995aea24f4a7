using System.Text.Json;
using System.Text.Json.Serialization;

namespace Marquee.Web.Http;

public static class ApiJson
{
    /// <summary>Options for request bodies: web defaults, unknown members are errors so typos do not pass silently.</summary>
    public static JsonSerializerOptions Strict { get; } = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
    };
}
