using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml;
using Microsoft.AspNetCore.Http;

namespace Marquee.Simulators.Plex;

/// <summary>
/// Writes one Plex document as JSON (<c>{"MediaContainer":{…}}</c>) or XML (PLEX-API.md 1.3a) from the
/// same calls. Scalars of an element must come before its child arrays/objects (XML attributes).
/// Output is buffered in small chunks and streamed to the response.
/// </summary>
public abstract class PlexWriter : IDisposable, IAsyncDisposable
{
    private const int FlushThreshold = 64 * 1024;
    private readonly Stream _target;

    protected PlexWriter(Stream target)
    {
        _target = target;
    }

    protected MemoryStream Buffer { get; } = new();

    public static bool WantsJson(HttpRequest request)
    {
        foreach (var accept in request.Headers.Accept)
        {
            if (accept is not null && accept.Contains("json", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    public static PlexWriter Create(HttpContext context) =>
        WantsJson(context.Request) ? new JsonPlexWriter(context.Response) : new XmlPlexWriter(context.Response);

    /// <summary>Root object: JSON <c>{"MediaContainer":{</c>; XML <c>&lt;MediaContainer</c>.</summary>
    public abstract void StartContainer(string xmlName = "MediaContainer");

    public abstract void EndContainer();

    /// <summary>A list of child elements: a JSON array property; nothing in XML.</summary>
    public abstract void StartArray(string jsonName);

    public abstract void EndArray();

    /// <summary>One element of an array; <paramref name="xmlName"/> is the XML element (Video, Directory, Guid…).</summary>
    public abstract void StartItem(string xmlName);

    public abstract void EndItem();

    /// <summary>A single nested object (User, Player, Session).</summary>
    public abstract void StartObject(string name);

    public abstract void EndObject();

    public abstract void Str(string name, string? value);

    public abstract void Num(string name, long value);

    public abstract void Dbl(string name, double value);

    public abstract void Bool(string name, bool value);

    /// <summary>A number Plex sends as a JSON string (ratingKey is always text; <c>Media.id</c> in sessions).</summary>
    public void NumStr(string name, long value) => Str(name, value.ToString(CultureInfo.InvariantCulture));

    public void NumIf(string name, long value)
    {
        if (value != 0)
        {
            Num(name, value);
        }
    }

    public void StrIf(string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            Str(name, value);
        }
    }

    public async ValueTask MaybeFlushAsync(CancellationToken ct)
    {
        FlushWriter();
        if (Buffer.Length >= FlushThreshold)
        {
            await CopyAsync(ct);
        }
    }

    public async Task CompleteAsync(CancellationToken ct)
    {
        FlushWriter();
        await CopyAsync(ct);
    }

    public void Dispose()
    {
        DisposeWriter();
        Buffer.Dispose();
        GC.SuppressFinalize(this);
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    protected abstract void DisposeWriter();

    /// <summary>The document written so far, for writers not bound to a response (webhook payloads).</summary>
    public string BufferedText()
    {
        FlushWriter();
        return Encoding.UTF8.GetString(Buffer.GetBuffer(), 0, (int)Buffer.Length);
    }

    protected abstract void FlushWriter();

    private async Task CopyAsync(CancellationToken ct)
    {
        if (Buffer.Length == 0)
        {
            return;
        }

        await _target.WriteAsync(Buffer.GetBuffer().AsMemory(0, (int)Buffer.Length), ct);
        Buffer.SetLength(0);
    }
}

public sealed class JsonPlexWriter : PlexWriter
{
    private readonly Utf8JsonWriter _json;

    public JsonPlexWriter(HttpResponse response)
        : this(response.Body)
    {
        response.ContentType = "application/json";
    }

    public JsonPlexWriter(Stream target)
        : base(target)
    {
        _json = new Utf8JsonWriter(Buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    /// <summary>plex.tv v2 answers bare objects and arrays: no MediaContainer wrapper.</summary>
    public void StartBareObject()
    {
        _json.WriteStartObject();
    }

    public void StartBareArray()
    {
        _json.WriteStartArray();
    }

    public void EndBareArray() => _json.WriteEndArray();

    public void EndBareObject() => _json.WriteEndObject();

    public void Null(string name) => _json.WriteNull(name);

    public override void StartContainer(string xmlName = "MediaContainer")
    {
        _json.WriteStartObject();
        _json.WriteStartObject(xmlName);
    }

    public override void EndContainer()
    {
        _json.WriteEndObject();
        _json.WriteEndObject();
    }

    public override void StartArray(string jsonName) => _json.WriteStartArray(jsonName);

    public override void EndArray() => _json.WriteEndArray();

    public override void StartItem(string xmlName) => _json.WriteStartObject();

    public override void EndItem() => _json.WriteEndObject();

    public override void StartObject(string name) => _json.WriteStartObject(name);

    public override void EndObject() => _json.WriteEndObject();

    public override void Str(string name, string? value)
    {
        if (value is null)
        {
            _json.WriteNull(name);
        }
        else
        {
            _json.WriteString(name, value);
        }
    }

    public override void Num(string name, long value) => _json.WriteNumber(name, value);

    public override void Dbl(string name, double value) => _json.WriteNumber(name, value);

    public override void Bool(string name, bool value) => _json.WriteBoolean(name, value);

    protected override void DisposeWriter() => _json.Dispose();

    protected override void FlushWriter()
    {
        _json.Flush();
    }
}

public sealed class XmlPlexWriter : PlexWriter
{
    private static readonly XmlWriterSettings Settings = new()
    {
        Encoding = new UTF8Encoding(false),
        Indent = false,
        CheckCharacters = false,
    };

    private readonly XmlWriter _xml;

    public XmlPlexWriter(HttpResponse response)
        : base(response.Body)
    {
        response.ContentType = "text/xml;charset=utf-8";
        _xml = XmlWriter.Create(Buffer, Settings);
        _xml.WriteStartDocument();
    }

    public override void StartContainer(string xmlName = "MediaContainer") => _xml.WriteStartElement(xmlName);

    public override void EndContainer()
    {
        _xml.WriteEndElement();
        _xml.WriteEndDocument();
    }

    public override void StartArray(string jsonName)
    {
    }

    public override void EndArray()
    {
    }

    public override void StartItem(string xmlName) => _xml.WriteStartElement(xmlName);

    public override void EndItem() => _xml.WriteEndElement();

    public override void StartObject(string name) => _xml.WriteStartElement(name);

    public override void EndObject() => _xml.WriteEndElement();

    public override void Str(string name, string? value) => _xml.WriteAttributeString(name, value ?? string.Empty);

    public override void Num(string name, long value) => _xml.WriteAttributeString(name, value.ToString(CultureInfo.InvariantCulture));

    public override void Dbl(string name, double value) => _xml.WriteAttributeString(name, value.ToString(CultureInfo.InvariantCulture));

    public override void Bool(string name, bool value) => _xml.WriteAttributeString(name, value ? "1" : "0");

    protected override void DisposeWriter() => _xml.Dispose();

    protected override void FlushWriter() => _xml.Flush();
}
