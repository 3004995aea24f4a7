using System.Text.Json;
using System.Xml.Linq;

namespace Marquee.Simulators.Tests.Plex;

/// <summary>Recorded Plex bodies (copied from the shared contract folder, PLEX-API.md section 13).</summary>
internal static class TestData
{
    public static string Dir => Path.Combine(AppContext.BaseDirectory, "Plex", "TestData");

    public static string ExamplePath(string name) => Path.Combine(Dir, "examples", name);

    public static JsonElement Json(string name) => JsonDocument.Parse(File.ReadAllText(ExamplePath(name))).RootElement.Clone();

    public static XElement Xml(string name) => XDocument.Load(ExamplePath(name)).Root!;

    public static string OfficialSpec => Path.Combine(Dir, "openapi", "pms-official-1.2.0.json");
}
