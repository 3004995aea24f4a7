using System.Text.Json.Nodes;
using Marquee.Core.Configuration;

namespace Marquee.Core.Tests.Configuration;

public sealed class DeclarativeConfigReaderTests
{
    private const string File = "marquee.yaml";

    private const string FullConfig =
        """
        connections:
          - name: home-plex
            kind: plex
            url: http://plex.local:32400
            token: ${PLEX_TOKEN}
            verifyTls: false
            port: 32400
            quoted: "true"
          - name: jelly
            kind: jellyfin
            settings:
              url: http://jelly.local:8096
              apiKey: abc
              libraries: [Movies, TV]
        profiles:
          - name: anna
            displayName: Anna B
            accounts:
              - connection: home-plex
                account: Anna
              - connection: jelly
                account: anna
          - name: bob
        flows:
          - name: plex-to-jelly
            from: home-plex
            to: jelly
            twoWay: true
            features: [watched, ratings]
            mode: mirror
            schedule: "*/15 * * * *"
            enabled: false
            filters:
              libraries: [Movies]
              profiles: anna, bob
              requireExternalIds: false
              editions: base
              watchedLeavesWatchlist: true
            guards:
              maxRemovals: 5
              maxRemovalPercent: 2.5
          - name: minimal
            from: jelly
            to: home-plex
        """;

    [Fact]
    public void Read_FullFile_ReadsConnections()
    {
        var config = Read(FullConfig, ("PLEX_TOKEN", "secret-token"));

        Assert.Equal(File, config.File);
        Assert.Equal(2, config.Connections.Count);
        var plex = config.Connections[0];
        Assert.Equal(("home-plex", "plex", 2), (plex.Name, plex.Kind, plex.Line));
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"url":"http://plex.local:32400","token":"secret-token","verifyTls":false,"port":32400,"quoted":"true"}"""),
            plex.Settings));
        var jelly = config.Connections[1];
        Assert.Equal(("jelly", "jellyfin", 9), (jelly.Name, jelly.Kind, jelly.Line));
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"url":"http://jelly.local:8096","apiKey":"abc","libraries":["Movies","TV"]}"""),
            jelly.Settings));
    }

    [Fact]
    public void Read_FullFile_ReadsProfilesWithAccounts()
    {
        var config = Read(FullConfig, ("PLEX_TOKEN", "x"));

        Assert.Equal(2, config.Profiles.Count);
        var anna = config.Profiles[0];
        Assert.Equal(("anna", "Anna B", 16), (anna.Name, anna.DisplayName, anna.Line));
        Assert.Equal(
            [new DeclaredAccount(19, "home-plex", "Anna"), new DeclaredAccount(21, "jelly", "anna")],
            anna.Accounts);
        var bob = config.Profiles[1];
        Assert.Equal(("bob", null, 23), (bob.Name, bob.DisplayName, bob.Line));
        Assert.Empty(bob.Accounts);
    }

    [Fact]
    public void Read_FullFile_ReadsFlowsWithFiltersAndGuards()
    {
        var config = Read(FullConfig, ("PLEX_TOKEN", "x"));

        Assert.Equal(2, config.Flows.Count);
        var (line, flow) = (config.Flows[0].Line, config.Flows[0].Flow);
        Assert.Equal(25, line);
        Assert.Equal(("plex-to-jelly", "home-plex", "jelly"), (flow.Name, flow.From, flow.To));
        Assert.True(flow.TwoWay);
        Assert.Equal(["watched", "ratings"], flow.Features!);
        Assert.Equal("mirror", flow.Mode);
        Assert.Equal("*/15 * * * *", flow.Schedule);
        Assert.False(flow.Enabled);
        Assert.NotNull(flow.Filters);
        Assert.Equal(["Movies"], flow.Filters.Libraries);
        Assert.Equal(["anna", "bob"], flow.Filters.Profiles);
        Assert.Equal(["local://"], flow.Filters.IgnoreGuidPrefixes);
        Assert.False(flow.Filters.RequireExternalIds);
        Assert.Equal("base", flow.Filters.Editions);
        Assert.True(flow.Filters.WatchedLeavesWatchlist);
        Assert.NotNull(flow.Guards);
        Assert.Equal(5, flow.Guards.MaxRemovals);
        Assert.Equal(2.5, flow.Guards.MaxRemovalPercent);
    }

    [Fact]
    public void Read_MinimalFlow_LeavesOptionalMembersUnset()
    {
        var config = Read(FullConfig, ("PLEX_TOKEN", "x"));

        var (line, flow) = (config.Flows[1].Line, config.Flows[1].Flow);
        Assert.Equal(42, line);
        Assert.Equal(("minimal", "jelly", "home-plex"), (flow.Name, flow.From, flow.To));
        Assert.Null(flow.TwoWay);
        Assert.Null(flow.Features);
        Assert.Null(flow.Mode);
        Assert.Null(flow.Schedule);
        Assert.Null(flow.Enabled);
        Assert.Null(flow.Filters);
        Assert.Null(flow.Guards);
    }

    [Fact]
    public void Read_GuardsPartlySet_KeepsDefaultForTheRest()
    {
        var config = Read(
            """
            flows:
              - name: a
                from: x
                to: y
                guards:
                  maxRemovalPercent: 50
            """);

        var guards = config.Flows[0].Flow.Guards!;
        Assert.Equal(25, guards.MaxRemovals);
        Assert.Equal(50, guards.MaxRemovalPercent);
    }

    [Fact]
    public void Read_FeaturesAsCommaSeparatedValue_SplitsAndTrims()
    {
        var config = Read(
            """
            flows:
              - name: a
                from: x
                to: y
                features: watched , progress,
            """);

        Assert.Equal(["watched", "progress"], config.Flows[0].Flow.Features!);
    }

    [Fact]
    public void Read_ConnectionIsNotAMapping_FailsAtItsLine()
    {
        var ex = Fails(
            """
            connections:
              - name: home
                kind: plex
              - just-a-name
            """);

        Assert.Equal(4, ex.Line);
        Assert.Contains("a connection must be a mapping", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_FeatureListWithNestedList_FailsNamingKey()
    {
        var ex = Fails(
            """
            flows:
              - name: a
                from: x
                to: y
                features:
                  - watched
                  - [ratings]
            """);

        Assert.Equal(7, ex.Line);
        Assert.Contains("'features' must be a list of values", ex.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\n")]
    [InlineData("# nothing configured yet\n")]
    [InlineData("---\n")]
    public void Read_EmptyFile_GivesEmptyConfig(string text)
    {
        var config = Read(text);

        Assert.Equal(File, config.File);
        Assert.Empty(config.Connections);
        Assert.Empty(config.Profiles);
        Assert.Empty(config.Flows);
    }

    [Fact]
    public void Read_EmptySections_GiveEmptyLists()
    {
        var config = Read("connections:\nprofiles: ~\nflows: []\n");

        Assert.Empty(config.Connections);
        Assert.Empty(config.Profiles);
        Assert.Empty(config.Flows);
    }

    [Fact]
    public void Read_VariableSet_IsExpandedInsideText()
    {
        var config = Read(
            """
            connections:
              - name: ${NAME}
                kind: plex
                url: http://${HOST}:32400/
            """,
            ("NAME", "home"),
            ("HOST", "plex.local"));

        var connection = Assert.Single(config.Connections);
        Assert.Equal("home", connection.Name);
        Assert.Equal("http://plex.local:32400/", connection.Settings["url"]!.GetValue<string>());
    }

    [Fact]
    public void Read_VariableUnset_FailsWithLineAndName()
    {
        var ex = Fails(
            """
            connections:
              - name: home
                kind: plex
                token: ${PLEX_TOKEN}
            """,
            ("OTHER", "x"));

        Assert.Equal(4, ex.Line);
        Assert.Contains("environment variable 'PLEX_TOKEN' is not set", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_VariableUnsetInFlow_FailsWithLine()
    {
        var ex = Fails(
            """
            flows:
              - name: a
                from: x
                to: y
                schedule: ${SYNC_SCHEDULE}
            """);

        Assert.Equal(5, ex.Line);
        Assert.Contains("'SYNC_SCHEDULE'", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_YamlSyntaxError_FailsWithLine()
    {
        var ex = Fails(
            """
            connections:
              - name: home
                kind: plex
                url: "http://plex.local
            profiles: []
            """);

        Assert.StartsWith("invalid YAML", ex.Reason, StringComparison.Ordinal);
        Assert.Equal(4, ex.Line);
    }

    [Fact]
    public void Read_BadIndentation_FailsWithLineOfTheProblem()
    {
        var ex = Fails(
            """
            connections:
              - name: home
                kind: plex
               url: http://plex.local
            """);

        Assert.StartsWith("invalid YAML", ex.Reason, StringComparison.Ordinal);
        Assert.Equal(4, ex.Line);
    }

    [Fact]
    public void Read_DuplicateKey_FailsWithLine()
    {
        var ex = Fails(
            """
            flows:
              - name: a
                from: x
                to: y
                from: z
            """);

        Assert.StartsWith("invalid YAML", ex.Reason, StringComparison.Ordinal);
        Assert.Equal(5, ex.Line);
    }

    [Fact]
    public void Read_UnknownTopLevelKey_FailsNamingKey()
    {
        var ex = Fails(
            """
            connections: []
            flow:
              - name: a
            """);

        Assert.Equal(2, ex.Line);
        Assert.Contains("unknown key 'flow'", ex.Reason, StringComparison.Ordinal);
        Assert.Contains("connections, profiles, flows", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DocumentIsAList_Fails()
    {
        var ex = Fails("- a\n- b\n");

        Assert.Equal(1, ex.Line);
        Assert.Contains("must be a mapping", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnknownFlowKey_FailsNamingKey()
    {
        var ex = Fails(
            """
            flows:
              - name: a
                from: x
                to: y
                two_way: true
            """);

        Assert.Equal(5, ex.Line);
        Assert.Contains("unknown key 'two_way' in a flow", ex.Reason, StringComparison.Ordinal);
        Assert.Contains("twoWay", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnknownFilterKey_FailsNamingKey()
    {
        var ex = Fails(
            """
            flows:
              - name: a
                from: x
                to: y
                filters:
                  library: Movies
            """);

        Assert.Equal(6, ex.Line);
        Assert.Contains("unknown key 'library' in filters", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnknownProfileKey_FailsNamingKey()
    {
        var ex = Fails(
            """
            profiles:
              - name: anna
                email: anna@example.com
            """);

        Assert.Equal(3, ex.Line);
        Assert.Contains("unknown key 'email' in a profile", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ListWhereValueExpected_FailsNamingKey()
    {
        var ex = Fails(
            """
            flows:
              - name: a
                from: x
                to: y
                mode:
                  - mirror
                  - add-only
            """);

        Assert.Equal(6, ex.Line);
        Assert.Contains("'mode' must be a single value", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ValueWhereListExpected_FailsNamingKey()
    {
        var ex = Fails(
            """
            connections:
              name: home
              kind: plex
            """);

        Assert.Equal(2, ex.Line);
        Assert.Contains("'connections' must be a list", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_SettingIsMapping_Fails()
    {
        var ex = Fails(
            """
            connections:
              - name: home
                kind: plex
                url:
                  host: plex.local
            """);

        Assert.Equal(5, ex.Line);
        Assert.Contains("a setting must be a value or a list of values", ex.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("maybe")]
    [InlineData("1")]
    [InlineData("on")]
    public void Read_TwoWayNotBoolean_FailsNamingKey(string value)
    {
        var ex = Fails(
            $"""
            flows:
              - name: a
                from: x
                to: y
                twoWay: {value}
            """);

        Assert.Equal(5, ex.Line);
        Assert.Contains($"'twoWay' must be true or false, not '{value}'", ex.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lots")]
    [InlineData("2.5")]
    [InlineData("1e3")]
    [InlineData("")]
    public void Read_MaxRemovalsNotWholeNumber_FailsNamingKey(string value)
    {
        var ex = Fails(
            $"""
            flows:
              - name: a
                from: x
                to: y
                guards:
                  maxRemovals: {value}
            """);

        Assert.Equal(6, ex.Line);
        Assert.Contains("'maxRemovals' must be a whole number", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MaxRemovalPercentNotNumber_FailsNamingKey()
    {
        var ex = Fails(
            """
            flows:
              - name: a
                from: x
                to: y
                guards:
                  maxRemovalPercent: ten
            """);

        Assert.Equal(6, ex.Line);
        Assert.Contains("'maxRemovalPercent' must be a number, not 'ten'", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_FlowWithoutName_FailsAtFlowLine()
    {
        var ex = Fails(
            """
            flows:
              - name: a
                from: x
                to: y
              - from: x
                to: y
            """);

        Assert.Equal(5, ex.Line);
        Assert.Contains("'name' is required", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ConnectionWithEmptyName_FailsAtNameLine()
    {
        var ex = Fails(
            """
            connections:
              - kind: plex
                name: ""
            """);

        Assert.Equal(3, ex.Line);
        Assert.Contains("'name' is required", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ConnectionWithoutKind_FailsNamingKind()
    {
        var ex = Fails(
            """
            connections:
              - name: home
                url: http://plex.local
            """);

        Assert.Equal(2, ex.Line);
        Assert.Contains("'kind' is required", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_AccountLinkWithoutAccount_FailsAtLinkLine()
    {
        var ex = Fails(
            """
            profiles:
              - name: anna
                accounts:
                  - connection: home
            """);

        Assert.Equal(4, ex.Line);
        Assert.Contains("'account' is required", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DuplicateConnectionName_FailsAtSecondDeclaration()
    {
        var ex = Fails(
            """
            connections:
              - name: home
                kind: plex
              - name: other
                kind: plex
              - name: HOME
                kind: jellyfin
            """);

        Assert.Equal(6, ex.Line);
        Assert.Contains("connection 'HOME' is declared twice", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DuplicateFlowName_Fails()
    {
        var ex = Fails(
            """
            flows:
              - name: a
                from: x
                to: y
              - name: a
                from: y
                to: x
            """);

        Assert.Equal(5, ex.Line);
        Assert.Contains("flow 'a' is declared twice", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Error_MessageStartsWithFileAndLine()
    {
        var ex = Fails("connections: []\nextra: 1\n");

        Assert.Equal(File, ex.File);
        Assert.StartsWith($"{File}:2: ", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith(ex.Reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadFile_MissingFile_FailsNamingFile()
    {
        var path = Path.Combine(Path.GetTempPath(), "marquee-tests", Guid.NewGuid().ToString("N"), "marquee.yaml");

        var ex = Assert.Throws<ConfigFileException>(() => DeclarativeConfigReader.ReadFile(path, _ => null));

        Assert.Equal(path, ex.File);
        Assert.Equal(0, ex.Line);
        Assert.StartsWith("cannot read the file", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadFile_ExistingFile_UsesPathInErrors()
    {
        var path = Path.GetTempFileName();
        try
        {
            System.IO.File.WriteAllText(path, "connections:\n  - name: home\n    kind: plex\n    token: ${MISSING}\n");

            var ex = Assert.Throws<ConfigFileException>(() => DeclarativeConfigReader.ReadFile(path, _ => null));

            Assert.Equal(path, ex.File);
            Assert.Equal(4, ex.Line);
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }

    private static DeclarativeConfig Read(string text, params (string Name, string Value)[] environment)
    {
        var variables = environment.ToDictionary(e => e.Name, e => e.Value, StringComparer.Ordinal);
        return DeclarativeConfigReader.Read(File, text, name => variables.GetValueOrDefault(name));
    }

    private static ConfigFileException Fails(string text, params (string Name, string Value)[] environment)
    {
        var ex = Assert.Throws<ConfigFileException>(() => Read(text, environment));
        Assert.Equal(File, ex.File);
        return ex;
    }
}
