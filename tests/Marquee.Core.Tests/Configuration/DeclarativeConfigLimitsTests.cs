using System.Diagnostics;
using System.Text;
using Marquee.Core.Configuration;

namespace Marquee.Core.Tests.Configuration;

/// <summary>marquee.yaml is input from outside: it cannot make the reader expand aliases, read a huge file or hide a second document.</summary>
public sealed class DeclarativeConfigLimitsTests
{
    private const string File = "marquee.yaml";

    /// <summary>A billion-laughs file: every level is ten aliases of the one before it, as connection settings the reader turns into JSON.</summary>
    private static string Bomb(int levels)
    {
        var text = new StringBuilder("connections:\n  - name: home\n    kind: plex\n    l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (var i = 1; i <= levels; i++)
        {
            var a = $"*l{i - 1}";
            text.Append($"    l{i}: &l{i} [{a}, {a}, {a}, {a}, {a}, {a}, {a}, {a}, {a}, {a}]\n");
        }

        return text.ToString();
    }

    [Theory]
    [InlineData(3)]
    [InlineData(9)]
    public void YamlBomb_FailsFast_WithLineAndReason_InLittleMemory(int levels)
    {
        var bomb = Bomb(levels);
        Assert.True(bomb.Length < 1100, $"the bomb is {bomb.Length} characters");
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();

        var ex = Assert.Throws<ConfigFileException>(() => DeclarativeConfigReader.Read(File, bomb, _ => null));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocated < 8 * 1024 * 1024, $"allocated {GC.GetAllocatedBytesForCurrentThread() - allocated} bytes");
        Assert.Equal(File, ex.File);
        Assert.Equal(4, ex.Line);
        Assert.Contains("aliases", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Anchor_WithoutAlias_IsRefusedToo()
    {
        var ex = Assert.Throws<ConfigFileException>(() => DeclarativeConfigReader.Read(File, "connections:\n  - &home\n    name: home\n    kind: plex\n", _ => null));

        Assert.Equal(2, ex.Line);
        Assert.Contains("anchors", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void MultipleDocuments_AreRefused_WithTheLineOfTheSecond()
    {
        var ex = Assert.Throws<ConfigFileException>(() => DeclarativeConfigReader.Read(File, "connections: []\nprofiles: []\n---\nflows:\n  - name: f\n", _ => null));

        Assert.Equal(3, ex.Line);
        Assert.Contains("one YAML document", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void SingleDocument_WithExplicitMarkers_IsRead()
    {
        var config = DeclarativeConfigReader.Read(File, "---\nprofiles:\n  - name: anna\n...\n", _ => null);

        Assert.Equal("anna", Assert.Single(config.Profiles).Name);
    }

    [Fact]
    public void FileOverTheSizeLimit_IsRefused_BeforeParsing()
    {
        var path = Path.GetTempFileName();
        try
        {
            System.IO.File.WriteAllText(path, "# " + new string('x', 1024 * 1024) + "\n");

            var ex = Assert.Throws<ConfigFileException>(() => DeclarativeConfigReader.ReadFile(path, _ => null));

            Assert.Equal(path, ex.File);
            Assert.Equal(0, ex.Line);
            Assert.Contains("larger than 1 MiB", ex.Reason, StringComparison.Ordinal);
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }

    [Theory]
    [InlineData("flows:\n  - name: f\n    from: a\n    to: b\n    twoWay: ${VALUE}\n", "twoWay")]
    [InlineData("flows:\n  - name: f\n    from: a\n    to: b\n    guards:\n      maxRemovals: ${VALUE}\n", "maxRemovals")]
    [InlineData("flows:\n  - name: f\n    from: a\n    to: b\n    guards:\n      maxRemovalPercent: x${VALUE}\n", "maxRemovalPercent")]
    public void EnvironmentValue_IsNeverEchoed_TheVariableIsNamed(string yaml, string field)
    {
        var ex = Assert.Throws<ConfigFileException>(() => DeclarativeConfigReader.Read(File, yaml, name => name == "VALUE" ? "hunter2-secret" : null));

        Assert.DoesNotContain("hunter2", ex.Message, StringComparison.Ordinal);
        Assert.Contains("${VALUE}", ex.Reason, StringComparison.Ordinal);
        Assert.Contains(field, ex.Reason, StringComparison.Ordinal);
    }
}
