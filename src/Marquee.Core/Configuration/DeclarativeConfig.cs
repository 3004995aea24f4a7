using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Marquee.Core.Flows;

namespace Marquee.Core.Configuration;

/// <summary>The content of marquee.yaml: connections, profiles and flows declared by name, each with the line it came from.</summary>
public sealed record DeclarativeConfig(
    string File,
    IReadOnlyList<DeclaredConnection> Connections,
    IReadOnlyList<DeclaredProfile> Profiles,
    IReadOnlyList<DeclaredFlow> Flows)
{
    /// <summary>Gets the notification channels the file declares (<c>notifications:</c>).</summary>
    public IReadOnlyList<DeclaredNotificationChannel> Notifications { get; init; } = [];
    /// <summary>Gets the <c>care:</c> section (session rules and trash settings) as JSON, with its line; null when absent.</summary>
    public DeclaredCare? Care { get; init; }

    /// <summary>Gets the <c>labels:</c> section (label sync settings) as JSON, with the line of each key; null when absent.</summary>
    public DeclaredLabels? Labels { get; init; }

    /// <summary>Gets the environment variables the file used (<c>${NAME}</c>) with their values, which no message may show.</summary>
    public IReadOnlyDictionary<string, string> EnvironmentValues { get; init; } = new Dictionary<string, string>();

    /// <summary>Returns <paramref name="message"/> with every value taken from the environment replaced by <c>${NAME}</c>.</summary>
    public string Hide(string message) => Hide(EnvironmentValues, message);

    internal static string Hide(IReadOnlyDictionary<string, string> values, string message)
    {
        foreach (var (name, value) in values.Where(v => v.Value.Length > 0).OrderByDescending(v => v.Value.Length))
        {
            // A short value is replaced only where it stands alone, so "1" does not rewrite every number in the message.
            message = value.Length >= 6
                ? message.Replace(value, "${" + name + "}", StringComparison.Ordinal)
                : Regex.Replace(message, $@"(?<![A-Za-z0-9]){Regex.Escape(value)}(?![A-Za-z0-9])", ("${" + name + "}").Replace("$", "$$", StringComparison.Ordinal), RegexOptions.None, TimeSpan.FromSeconds(1));
        }

        return message;
    }
}

public sealed record DeclaredCare(int Line, JsonObject Section);

/// <summary>The <c>labels:</c> section: its line, its keys and values as JSON, and the line each key is on.</summary>
public sealed record DeclaredLabels(int Line, JsonObject Section, IReadOnlyDictionary<string, int> KeyLines);

public sealed record DeclaredConnection(int Line, string Name, string Kind, JsonObject Settings);

public sealed record DeclaredProfile(int Line, string Name, string? DisplayName, IReadOnlyList<DeclaredAccount> Accounts);

public sealed record DeclaredAccount(int Line, string Connection, string Account);

public sealed record DeclaredFlow(int Line, FlowInput Flow);

public sealed record DeclaredNotificationChannel(int Line, Notifications.ChannelRequest Channel);
