using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Marquee.Core.Flows;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Marquee.Core.Configuration;

/// <summary>
/// Reads marquee.yaml strictly: unknown keys, wrong types and missing names are errors with the line they
/// are on. <c>${NAME}</c> in a value is replaced by the environment variable NAME, so secrets can stay out of the file.
/// </summary>
public static partial class DeclarativeConfigReader
{
    private static readonly string[] TopKeys = ["connections", "profiles", "flows", "notifications", "care", "labels"];
    private static readonly string[] ChannelKeys = ["name", "kind", "url", "secret", "triggers", "templates", "method", "headers", "enabled", "includeActivity", "poster", "condition"];
    private static readonly string[] ProfileKeys = ["name", "displayName", "accounts"];
    private static readonly string[] AccountKeys = ["connection", "account"];
    private static readonly string[] FlowKeys = ["name", "from", "to", "twoWay", "features", "mode", "schedule", "incremental", "enabled", "filters", "guards"];
    private static readonly string[] FilterKeys = ["libraries", "profiles", "ignoreGuidPrefixes", "requireExternalIds", "editions", "watchedLeavesWatchlist"];
    private static readonly string[] GuardKeys = ["maxRemovals", "maxRemovalPercent"];

    /// <summary>The largest marquee.yaml read (1 MiB): a file of connections, profiles and flows is a few kilobytes.</summary>
    public const int MaxFileBytes = 1024 * 1024;

    public static DeclarativeConfig ReadFile(string path, Func<string, string?>? environment = null)
    {
        string text;
        try
        {
            // Read at most one byte past the limit, so a huge (or endless) file costs no more than the limit.
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var buffer = new byte[MaxFileBytes + 1];
            var length = 0;
            int read;
            while (length < buffer.Length && (read = stream.Read(buffer, length, buffer.Length - length)) > 0)
            {
                length += read;
            }

            if (length > MaxFileBytes)
            {
                throw TooLarge(path);
            }

            text = new UTF8Encoding(false).GetString(buffer, 0, length).TrimStart('\uFEFF');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigFileException(path, 0, $"cannot read the file: {ex.Message}", ex);
        }

        return Read(path, text, environment ?? Environment.GetEnvironmentVariable);
    }

    public static DeclarativeConfig Read(string file, string text, Func<string, string?> environment)
    {
        if (text.Length > MaxFileBytes || Encoding.UTF8.GetByteCount(text) > MaxFileBytes)
        {
            throw TooLarge(file);
        }

        var stream = new YamlStream();
        try
        {
            CheckEvents(file, text);
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw new ConfigFileException(file, (int)ex.Start.Line, $"invalid YAML: {Inner(ex).Message}", ex);
        }

        var reader = new Reader(file, environment);
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return new DeclarativeConfig(file, [], [], []);
        }

        try
        {
            var root = reader.Map(stream.Documents[0].RootNode, "the document", TopKeys);
            var connections = reader.List(root, "connections").Select(reader.Connection).ToList();
            var profiles = reader.List(root, "profiles").Select(reader.Profile).ToList();
            var flows = reader.List(root, "flows").Select(reader.Flow).ToList();
            reader.Unique(connections.Select(c => (c.Name, c.Line)), "connection");
            reader.Unique(profiles.Select(p => (p.Name, p.Line)), "profile");
            reader.Unique(flows.Select(f => (f.Flow.Name!, f.Line)), "flow");
            var channels = reader.List(root, "notifications").Select(reader.Channel).ToList();
            reader.Unique(channels.Select(c => (c.Channel.Name!, c.Line)), "notification channel");
            var care = root.Children.FirstOrDefault(c => Reader.KeyOf(c.Key) == "care");
            var labels = root.Children.FirstOrDefault(c => Reader.KeyOf(c.Key) == "labels");
            return new DeclarativeConfig(file, connections, profiles, flows)
            {
                Notifications = channels,
                EnvironmentValues = reader.Used,
                Labels = labels.Value is null or YamlScalarNode { Value: null or "" or "~" or "null" } ? null : reader.Labels(labels.Key, labels.Value),
                Care = care.Value is null ? null : new DeclaredCare((int)care.Key.Start.Line, reader.Tree(care.Value) as JsonObject ?? throw new ConfigFileException(file, (int)care.Key.Start.Line, "'care' must be a map with 'rules' and 'trash'")),
            };
        }
        catch (ConfigFileException ex) when (reader.Used.Count > 0)
        {
            // A message may quote a value; one that came from the environment is shown as the variable's name.
            throw new ConfigFileException(ex.File, ex.Line, DeclarativeConfig.Hide(reader.Used, ex.Reason));
        }
    }

    /// <summary>
    /// Walks the parser's events before anything is built: one document only, and no anchors or aliases (an alias is
    /// a reference, so a few hundred bytes of them can stand for gigabytes once expanded).
    /// </summary>
    private static void CheckEvents(string file, string text)
    {
        var parser = new Parser(new StringReader(text));
        var documents = 0;
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case DocumentStart start when ++documents > 1:
                    throw new ConfigFileException(file, (int)start.Start.Line, "marquee.yaml must be one YAML document; remove the '---' here and put everything in the first document");
                case AnchorAlias alias:
                    throw new ConfigFileException(file, (int)alias.Start.Line, $"YAML anchors and aliases are not allowed in marquee.yaml (*{alias.Value}); write the value out");
                case NodeEvent { Anchor.IsEmpty: false } node:
                    throw new ConfigFileException(file, (int)node.Start.Line, $"YAML anchors and aliases are not allowed in marquee.yaml (&{node.Anchor}); write the value out");
            }
        }
    }

    private static ConfigFileException TooLarge(string file) =>
        new(file, 0, $"the file is larger than 1 MiB ({MaxFileBytes} bytes), the most marquee.yaml may be");

    private static Exception Inner(Exception ex) => ex.InnerException is YamlException inner ? Inner(inner) : ex;

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex Variable();

    private sealed class Reader(string file, Func<string, string?> environment)
    {
        /// <summary>Gets the environment variables the file used, with their values (so no message shows them).</summary>
        public Dictionary<string, string> Used { get; } = new(StringComparer.Ordinal);

        public DeclaredConnection Connection(YamlNode node)
        {
            var map = Map(node, "a connection", null);
            var name = RequiredString(map, node, "name");
            var kind = RequiredString(map, node, "kind");
            var settings = new JsonObject();
            foreach (var (key, value) in map.Children)
            {
                var k = Key(key);
                if (k is "name" or "kind")
                {
                    continue;
                }

                if (k == "settings")
                {
                    foreach (var (sk, sv) in Map(value, "settings", null).Children)
                    {
                        settings[Key(sk)] = Json(sv);
                    }

                    continue;
                }

                settings[k] = Json(value);
            }

            return new DeclaredConnection(Line(node), name, kind, settings);
        }

        public DeclaredProfile Profile(YamlNode node)
        {
            var map = Map(node, "a profile", ProfileKeys);
            var accounts = List(map, "accounts").Select(a =>
            {
                var account = Map(a, "an account link", AccountKeys);
                return new DeclaredAccount(Line(a), RequiredString(account, a, "connection"), RequiredString(account, a, "account"));
            }).ToList();
            return new DeclaredProfile(Line(node), RequiredString(map, node, "name"), OptionalString(map, "displayName"), accounts);
        }

        public DeclaredFlow Flow(YamlNode node)
        {
            var map = Map(node, "a flow", FlowKeys);
            FlowFilters? filters = null;
            if (Child(map, "filters") is { } f)
            {
                var fm = Map(f, "filters", FilterKeys);
                var defaults = new FlowFilters();
                filters = new FlowFilters
                {
                    Libraries = OptionalStrings(fm, "libraries") ?? defaults.Libraries,
                    Profiles = OptionalStrings(fm, "profiles") ?? defaults.Profiles,
                    IgnoreGuidPrefixes = OptionalStrings(fm, "ignoreGuidPrefixes") ?? defaults.IgnoreGuidPrefixes,
                    RequireExternalIds = OptionalBool(fm, "requireExternalIds") ?? defaults.RequireExternalIds,
                    Editions = OptionalString(fm, "editions") ?? defaults.Editions,
                    WatchedLeavesWatchlist = OptionalBool(fm, "watchedLeavesWatchlist") ?? defaults.WatchedLeavesWatchlist,
                };
            }

            FlowGuards? guards = null;
            if (Child(map, "guards") is { } g)
            {
                var gm = Map(g, "guards", GuardKeys);
                var defaults = new FlowGuards();
                guards = new FlowGuards
                {
                    MaxRemovals = (int)(OptionalNumber(gm, "maxRemovals", integer: true) ?? defaults.MaxRemovals),
                    MaxRemovalPercent = OptionalNumber(gm, "maxRemovalPercent", integer: false) ?? defaults.MaxRemovalPercent,
                };
            }

            var flow = new FlowInput
            {
                Name = RequiredString(map, node, "name"),
                From = RequiredString(map, node, "from"),
                To = RequiredString(map, node, "to"),
                TwoWay = OptionalBool(map, "twoWay"),
                Features = OptionalStrings(map, "features"),
                Mode = OptionalString(map, "mode"),
                Schedule = OptionalString(map, "schedule"),
                Incremental = OptionalString(map, "incremental"),
                Enabled = OptionalBool(map, "enabled"),
                Filters = filters,
                Guards = guards,
            };
            return new DeclaredFlow(Line(node), flow);
        }

        public DeclaredNotificationChannel Channel(YamlNode node)
        {
            var map = Map(node, "a notification channel", ChannelKeys);
            Dictionary<string, string>? Strings(string key) => Child(map, key) switch
            {
                null => null,
                YamlMappingNode m => m.Children.ToDictionary(c => Key(c.Key), c => c.Value is YamlScalarNode s ? Expand(s) : throw Error(c.Value, $"'{key}.{Key(c.Key)}' must be a single value"), StringComparer.Ordinal),
                var other => throw Error(other, $"'{key}' must be a mapping of names to values"),
            };

            var channel = new Notifications.ChannelRequest(
                RequiredString(map, node, "name"),
                RequiredString(map, node, "kind"),
                OptionalString(map, "url"),
                OptionalString(map, "secret"),
                OptionalStrings(map, "triggers"),
                Strings("templates"),
                OptionalString(map, "method"),
                Strings("headers"),
                OptionalBool(map, "enabled"),
                OptionalBool(map, "includeActivity"),
                OptionalString(map, "condition") ?? string.Empty,
                OptionalBool(map, "poster"));
            return new DeclaredNotificationChannel(Line(node), channel);
        }

        /// <summary>The <c>labels:</c> section: only the label settings' own keys, each value kept as JSON with its line.</summary>
        public DeclaredLabels Labels(YamlNode key, YamlNode node)
        {
            var map = Map(node, "labels", [.. Core.Labels.LabelDeclarations.Keys]);
            var section = (JsonObject)Tree(map)!;
            return new DeclaredLabels(Line(key), section, map.Children.ToDictionary(c => Key(c.Key), c => Line(c.Key), StringComparer.Ordinal));
        }

        public YamlMappingNode Map(YamlNode node, string what, string[]? allowed)
        {
            if (node is not YamlMappingNode map)
            {
                throw Error(node, $"{what} must be a mapping of keys to values");
            }

            if (allowed is not null)
            {
                foreach (var key in map.Children.Keys)
                {
                    var k = Key(key);
                    if (!allowed.Contains(k, StringComparer.Ordinal))
                    {
                        throw Error(key, $"unknown key '{k}' in {what}; expected one of: {string.Join(", ", allowed)}");
                    }
                }
            }

            return map;
        }

        public IEnumerable<YamlNode> List(YamlMappingNode map, string key)
        {
            var child = Child(map, key);
            return child switch
            {
                null => [],
                YamlScalarNode { Value: null or "" or "~" or "null" } => [],
                YamlSequenceNode seq => seq.Children,
                _ => throw Error(child, $"'{key}' must be a list"),
            };
        }

        public void Unique(IEnumerable<(string Name, int Line)> names, string what)
        {
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (name, line) in names)
            {
                if (!seen.Add(name))
                {
                    throw new ConfigFileException(file, line, $"{what} '{name}' is declared twice");
                }
            }
        }

        private static YamlNode? Child(YamlMappingNode map, string key) =>
            map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

        private string RequiredString(YamlMappingNode map, YamlNode owner, string key) =>
            OptionalString(map, key) is { Length: > 0 } value ? value : throw Error(Child(map, key) ?? owner, $"'{key}' is required");

        private string? OptionalString(YamlMappingNode map, string key) => Child(map, key) switch
        {
            null => null,
            YamlScalarNode scalar => Expand(scalar),
            var other => throw Error(other, $"'{key}' must be a single value"),
        };

        private bool? OptionalBool(YamlMappingNode map, string key)
        {
            var text = OptionalString(map, key);
            return text switch
            {
                null => null,
                "true" or "True" or "yes" => true,
                "false" or "False" or "no" => false,
                _ => throw Error(Child(map, key)!, $"'{key}' must be true or false, not {Shown(Child(map, key)!)}"),
            };
        }

        private double? OptionalNumber(YamlMappingNode map, string key, bool integer)
        {
            var text = OptionalString(map, key);
            if (text is null)
            {
                return null;
            }

            return integer
                ? int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : throw Error(Child(map, key)!, $"'{key}' must be a whole number, not {Shown(Child(map, key)!)}")
                : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : throw Error(Child(map, key)!, $"'{key}' must be a number, not {Shown(Child(map, key)!)}");
        }

        /// <summary>Quotes a value as the file writes it: <c>${NAME}</c> stays the variable's name, never its value.</summary>
        private static string Shown(YamlNode node) => $"'{(node as YamlScalarNode)?.Value}'";

        private List<string>? OptionalStrings(YamlMappingNode map, string key) => Child(map, key) switch
        {
            null => null,
            YamlSequenceNode seq => seq.Children.Select(c => c is YamlScalarNode s ? Expand(s) : throw Error(c, $"'{key}' must be a list of values")).ToList(),
            YamlScalarNode scalar => Expand(scalar).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList(),
            var other => throw Error(other, $"'{key}' must be a list"),
        };

        public static string KeyOf(YamlNode node) => Key(node);

        /// <summary>Any YAML tree as JSON (maps, lists, scalars), for sections bound to records strictly afterwards.</summary>
        public JsonNode? Tree(YamlNode node) => node switch
        {
            YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(Key(c.Key), Tree(c.Value)))),
            YamlSequenceNode seq => new JsonArray([.. seq.Children.Select(Tree)]),
            _ => Json(node),
        };

        private JsonNode? Json(YamlNode node) => node switch
        {
            YamlScalarNode { Style: ScalarStyle.Plain, Value: "true" or "false" } b => JsonValue.Create(b.Value == "true"),
            YamlScalarNode { Style: ScalarStyle.Plain, Value: "null" or "~" or "" } => null,
            YamlScalarNode { Style: ScalarStyle.Plain } n when long.TryParse(n.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => JsonValue.Create(l),
            YamlScalarNode s => JsonValue.Create(Expand(s)),
            YamlSequenceNode seq => new JsonArray(seq.Children.Select(Json).ToArray()),
            _ => throw Error(node, "a setting must be a value or a list of values"),
        };

        private string Expand(YamlScalarNode scalar) => Variable().Replace(scalar.Value ?? string.Empty, m =>
        {
            var name = m.Groups[1].Value;
            var value = environment(name) ?? throw Error(scalar, $"environment variable '{name}' is not set");
            Used[name] = value;
            return value;
        });

        private static string Key(YamlNode node) => node is YamlScalarNode { Value: { } value } ? value : string.Empty;

        private static int Line(YamlNode node) => (int)node.Start.Line;

        private ConfigFileException Error(YamlNode node, string reason) => new(file, Line(node), reason);
    }
}
