using System.Text.Json.Nodes;
using Marquee.Core.Connections;
using Marquee.Core.Flows;
using Marquee.Core.Profiles;
using YamlDotNet.Serialization;

namespace Marquee.Core.Configuration;

/// <summary>Writes the stored connections, profiles and flows as a marquee.yaml that applies back to the same state.</summary>
public sealed class DeclarativeConfigExporter(IConnectionStore connectionStore, ConnectionService connections, ProfileService profiles, FlowService flows)
{
    public async Task<string> ExportAsync(bool includeSecrets, CancellationToken cancellationToken)
    {
        var doc = new Dictionary<string, object>();
        var connectionList = new List<object>();
        foreach (var connection in await connectionStore.ListAsync(cancellationToken))
        {
            var entry = new Dictionary<string, object?> { ["name"] = connection.Name, ["kind"] = connection.Kind };
            foreach (var (key, value) in connections.ExportSettings(connection, includeSecrets))
            {
                entry[key] = Plain(value);
            }

            connectionList.Add(entry);
        }

        var links = await profiles.ListLinksAsync(null, cancellationToken);
        var profileList = (await profiles.ListAsync(cancellationToken)).Select(p =>
        {
            var entry = new Dictionary<string, object?> { ["name"] = p.Name };
            if (p.DisplayName is not null)
            {
                entry["displayName"] = p.DisplayName;
            }

            var accounts = links.Where(l => l.ProfileId == p.Id)
                .Select(l => new Dictionary<string, object?> { ["connection"] = l.ConnectionName, ["account"] = l.ExternalId })
                .ToList();
            if (accounts.Count > 0)
            {
                entry["accounts"] = accounts;
            }

            return (object)entry;
        }).ToList();

        var flowList = (await flows.ListAsync(cancellationToken)).Select(f => (object)FlowEntry(f)).ToList();
        doc["connections"] = connectionList;
        doc["profiles"] = profileList;
        doc["flows"] = flowList;
        var serializer = new SerializerBuilder().DisableAliases().Build();
        var header = includeSecrets
            ? "# Exported by marquee config export --include-secrets. This file holds secrets in clear text.\n"
            : "# Exported by marquee config export. Secrets show as ******** and keep their stored value when applied.\n";
        return header + serializer.Serialize(doc);
    }

    private static Dictionary<string, object?> FlowEntry(Flow f)
    {
        var entry = new Dictionary<string, object?>
        {
            ["name"] = f.Name,
            ["from"] = f.SourceConnection,
            ["to"] = f.TargetConnection,
            ["twoWay"] = f.TwoWay,
            ["features"] = f.Features.ToList(),
            ["mode"] = f.Mode,
        };
        if (f.Schedule is not null)
        {
            entry["schedule"] = f.Schedule;
        }

        if (f.Incremental is not null)
        {
            entry["incremental"] = f.Incremental;
        }

        entry["enabled"] = f.Enabled;
        entry["filters"] = new Dictionary<string, object?>
        {
            ["libraries"] = f.Filters.Libraries.ToList(),
            ["profiles"] = f.Filters.Profiles.ToList(),
            ["ignoreGuidPrefixes"] = f.Filters.IgnoreGuidPrefixes.ToList(),
            ["requireExternalIds"] = f.Filters.RequireExternalIds,
            ["editions"] = f.Filters.Editions,
            ["watchedLeavesWatchlist"] = f.Filters.WatchedLeavesWatchlist,
        };
        entry["guards"] = new Dictionary<string, object?>
        {
            ["maxRemovals"] = f.Guards.MaxRemovals,
            ["maxRemovalPercent"] = f.Guards.MaxRemovalPercent,
        };
        return entry;
    }

    private static object? Plain(JsonNode? node) => node switch
    {
        null => null,
        JsonArray array => array.Select(Plain).ToList(),
        JsonValue value when value.TryGetValue<bool>(out var b) => b,
        JsonValue value when value.TryGetValue<long>(out var l) => l,
        JsonValue value when value.TryGetValue<double>(out var d) => d,
        _ => node.ToString(),
    };
}
