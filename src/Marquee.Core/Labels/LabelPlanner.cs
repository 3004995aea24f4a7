using Marquee.Core.Items;

namespace Marquee.Core.Labels;

/// <summary>Something a user wants, or a tag an instance put on a title: a movie or a show named by its external ids.</summary>
public sealed record LabelClaim(string Name, bool IsShow, IReadOnlyList<ExternalId> Ids, string? Title = null);

/// <summary>One item whose labels change: the full list it keeps, and what is added and taken off.</summary>
public sealed record LabelEdit(LabelTarget Target, IReadOnlyList<string> Labels, IReadOnlyList<string> Added, IReadOnlyList<string> Removed);

/// <summary>What the planner was given besides the items: who counts, whose source failed, and the wants and tags.</summary>
/// <param name="Users">Every user name in scope (profile names or aliases).</param>
/// <param name="FailedUsers">Users whose source could not be read: their labels stay as they are.</param>
/// <param name="Wants">Who wants what (name = user).</param>
/// <param name="Tags">Which tags the chosen instances put on what (name = tag).</param>
public sealed record LabelInputs(IReadOnlySet<string> Users, IReadOnlySet<string> FailedUsers, IReadOnlyList<LabelClaim> Wants, IReadOnlyList<LabelClaim> Tags);

/// <summary>
/// Computes desired against current labels per item. Only labels starting with <c>{prefix}:</c> are Marquee's; every
/// other label is kept exactly. Comparisons ignore case. Each item that differs gets one edit with all its changes.
/// </summary>
public static class LabelPlanner
{
    public static IReadOnlyList<LabelEdit> Plan(LabelSettings settings, IReadOnlyList<LabelTarget> targets, LabelInputs inputs)
    {
        var wants = Index(inputs.Wants);
        var tags = Index(inputs.Tags);
        var prefix = settings.Prefix + ":";
        var marker = prefix + settings.RemovedLabel;
        var edits = new List<LabelEdit>();
        foreach (var target in targets)
        {
            var users = Lookup(wants, target);
            var wantedTags = Lookup(tags, target);
            var current = target.Labels;
            var keep = new List<string>();
            var hadUserLabel = false;
            var removedUser = false;
            foreach (var label in current)
            {
                if (!label.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                {
                    keep.Add(label);
                    continue;
                }

                var name = label[prefix.Length..];
                if (string.Equals(label, marker, StringComparison.OrdinalIgnoreCase))
                {
                    // The marker stays while nobody wants the item; it is dropped when someone re-adds it.
                    if (settings.RemovedMode == "special" && users.Count == 0)
                    {
                        keep.Add(label);
                    }
                }
                else if (inputs.Users.Contains(name))
                {
                    hadUserLabel = true;
                    if (users.Contains(name) || inputs.FailedUsers.Contains(name) || settings.RemovedMode == "keep")
                    {
                        keep.Add(label);
                    }
                    else
                    {
                        removedUser = true;
                    }
                }
                else if (wantedTags.Contains(name) || !settings.CleanupOrphans)
                {
                    keep.Add(label);
                }
            }

            var desired = new List<string>(keep);
            foreach (var name in users.Concat(wantedTags).Order(StringComparer.OrdinalIgnoreCase))
            {
                if (!desired.Contains(prefix + name, StringComparer.OrdinalIgnoreCase))
                {
                    desired.Add(prefix + name);
                }
            }

            if (settings.RemovedMode == "special" && users.Count == 0 && hadUserLabel && removedUser
                && !desired.Any(l => l.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && inputs.Users.Contains(l[prefix.Length..]))
                && !desired.Contains(marker, StringComparer.OrdinalIgnoreCase))
            {
                desired.Add(marker);
            }

            var added = desired.Where(l => !current.Contains(l, StringComparer.OrdinalIgnoreCase)).ToList();
            var removed = current.Where(l => !desired.Contains(l, StringComparer.OrdinalIgnoreCase)).ToList();
            if (added.Count > 0 || removed.Count > 0)
            {
                edits.Add(new LabelEdit(target, desired, added, removed));
            }
        }

        return edits;
    }

    /// <summary>Every Marquee label taken off every item that carries one (<c>marquee labels remove-all</c>).</summary>
    public static IReadOnlyList<LabelEdit> RemoveAll(LabelSettings settings, IReadOnlyList<LabelTarget> targets)
    {
        var prefix = settings.Prefix + ":";
        return [.. targets
            .Select(t => (Target: t, Ours: t.Labels.Where(l => l.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).ToList()))
            .Where(x => x.Ours.Count > 0)
            .Select(x => new LabelEdit(x.Target, [.. x.Target.Labels.Except(x.Ours, StringComparer.Ordinal)], [], x.Ours))];
    }

    private static Dictionary<(bool IsShow, string Id), HashSet<string>> Index(IReadOnlyList<LabelClaim> claims)
    {
        var index = new Dictionary<(bool, string), HashSet<string>>();
        foreach (var claim in claims)
        {
            foreach (var id in claim.Ids.Where(i => i.Scheme is ExternalId.Tmdb or ExternalId.Tvdb or ExternalId.Imdb or ExternalId.Plex))
            {
                var key = (claim.IsShow, id.ToString().ToLowerInvariant());
                if (!index.TryGetValue(key, out var names))
                {
                    index[key] = names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                }

                names.Add(claim.Name);
            }
        }

        return index;
    }

    private static HashSet<string> Lookup(Dictionary<(bool IsShow, string Id), HashSet<string>> index, LabelTarget target)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var id in target.Ids)
        {
            if (index.TryGetValue((target.IsShow, id.ToString().ToLowerInvariant()), out var found))
            {
                names.UnionWith(found);
            }
        }

        return names;
    }
}
