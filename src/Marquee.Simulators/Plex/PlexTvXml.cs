using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml;
using Microsoft.AspNetCore.Http;

namespace Marquee.Simulators.Plex;

/// <summary>
/// plex.tv answers XML unless the client sends <c>Accept: application/json</c> (PLEX-API.md 1.1). The v2
/// endpoints are written as JSON; this middleware turns the answer into plex.tv's XML form when JSON was
/// not asked for: the root element named after the resource (<c>user</c>, <c>pin</c>, <c>resources</c>…),
/// scalars as attributes (booleans <c>1</c>/<c>0</c>, nulls left out), objects as child elements, arrays as a
/// wrapper element holding one element per entry (<c>connections</c> → <c>connection</c>).
/// </summary>
public static class PlexTvXml
{
    private static readonly XmlWriterSettings Settings = new() { Encoding = new UTF8Encoding(false), Indent = false };

    public static async Task NegotiateAsync(HttpContext context, RequestDelegate next)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        if (!path.StartsWith("/api/v2/", StringComparison.Ordinal) || PlexWriter.WantsJson(context.Request))
        {
            await next(context);
            return;
        }

        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        if (buffer.Length > 0 && context.Response.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true
            && TryConvert(buffer.ToArray(), path) is { } xml)
        {
            context.Response.ContentType = "application/xml; charset=utf-8";
            context.Response.ContentLength = xml.Length;
            await original.WriteAsync(xml, context.RequestAborted);
            return;
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    }

    /// <summary>The XML form of a plex.tv v2 JSON body, or null when the body is not JSON.</summary>
    public static byte[]? TryConvert(byte[] json, string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            return null;
        }

        using (document)
        {
            using var output = new MemoryStream();
            using (var xml = XmlWriter.Create(output, Settings))
            {
                xml.WriteStartDocument();
                var root = document.RootElement;
                if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
                {
                    WriteArray(xml, "errors", errors);
                }
                else if (root.ValueKind == JsonValueKind.Array)
                {
                    WriteArray(xml, RootName(path, plural: true), root);
                }
                else
                {
                    WriteElement(xml, RootName(path, plural: false), root);
                }

                xml.WriteEndDocument();
            }

            return output.ToArray();
        }
    }

    private static string RootName(string path, bool plural)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        string name;
        if (segments[^1] == "switch")
        {
            name = "user";
        }
        else if (path.EndsWith("/home/users", StringComparison.Ordinal))
        {
            name = "home";
        }
        else
        {
            name = segments.Reverse().First(s => !char.IsAsciiDigit(s[0]) && s != "v2");
            name = name == "ping" ? "response" : name.Replace("_", string.Empty, StringComparison.Ordinal);
        }

        return plural ? name : Singular(name);
    }

    private static string Singular(string name) =>
        name.EndsWith("ies", StringComparison.Ordinal) ? name[..^3] + "y" : name.EndsWith('s') && !name.EndsWith("ss", StringComparison.Ordinal) ? name[..^1] : name;

    private static void WriteElement(XmlWriter xml, string name, JsonElement value)
    {
        xml.WriteStartElement(name);
        if (value.ValueKind != JsonValueKind.Object)
        {
            WriteScalar(xml, "id", value);
            xml.WriteEndElement();
            return;
        }

        foreach (var property in value.EnumerateObject())
        {
            WriteScalar(xml, property.Name, property.Value);
        }

        foreach (var property in value.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Object)
            {
                WriteElement(xml, property.Name, property.Value);
            }
            else if (property.Value.ValueKind == JsonValueKind.Array)
            {
                WriteArray(xml, property.Name, property.Value);
            }
        }

        xml.WriteEndElement();
    }

    private static void WriteArray(XmlWriter xml, string name, JsonElement array)
    {
        xml.WriteStartElement(name);
        xml.WriteAttributeString("size", array.GetArrayLength().ToString(CultureInfo.InvariantCulture));
        foreach (var entry in array.EnumerateArray())
        {
            WriteElement(xml, Singular(name), entry);
        }

        xml.WriteEndElement();
    }

    private static void WriteScalar(XmlWriter xml, string name, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                xml.WriteAttributeString(name, value.GetString());
                break;
            case JsonValueKind.Number:
                xml.WriteAttributeString(name, value.GetRawText());
                break;
            case JsonValueKind.True:
                xml.WriteAttributeString(name, "1");
                break;
            case JsonValueKind.False:
                xml.WriteAttributeString(name, "0");
                break;
            default:
                break;
        }
    }
}
