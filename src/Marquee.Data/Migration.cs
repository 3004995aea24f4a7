using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;

namespace Marquee.Data;

/// <summary>One versioned SQL script. Scripts are named <c>NNNN_description.sql</c> and embedded in the engine's assembly.</summary>
public sealed partial record Migration(int Version, string Name, string Sql)
{
    public static IReadOnlyList<Migration> FromResources(Assembly assembly)
    {
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.EndsWith(".sql", StringComparison.Ordinal)))
        {
            var match = ScriptName().Match(resource);
            if (!match.Success)
            {
                throw new InvalidOperationException($"Migration resource '{resource}' is not named NNNN_description.sql.");
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            migrations.Add(new Migration(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), match.Groups[2].Value, reader.ReadToEnd()));
        }

        var ordered = migrations.OrderBy(m => m.Version).ToList();
        var duplicate = ordered.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null ? ordered : throw new InvalidOperationException($"Two migrations share version {duplicate.Key}.");
    }

    [GeneratedRegex(@"(\d{4})_([A-Za-z0-9_]+)\.sql$")]
    private static partial Regex ScriptName();
}
