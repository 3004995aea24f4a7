using Marquee.Core.Items;

namespace Marquee.Core.Labels;

/// <summary>
/// A want or tag whose title is not in Plex yet: kept (durably) until a run finds the title in the listing (Plex's
/// library.new starts one, and so does every scheduled or manual sync), retried with back-off until it expires.
/// </summary>
/// <param name="Key">What the entry stands for: kind, name, type and ids.</param>
/// <param name="Kind"><c>want</c> (a user wants it) or <c>tag</c> (an instance tags it).</param>
/// <param name="Name">The user or the tag (the part after the prefix).</param>
/// <param name="IsShow">True for a show, false for a movie.</param>
/// <param name="Ids">The title's ids as the source named them (<c>tmdb://603</c>, <c>plex://movie/…</c>).</param>
/// <param name="Title">The title, when the source gave one.</param>
/// <param name="FirstSeen">When a run first missed it in Plex.</param>
/// <param name="Attempts">How many runs have looked for it since.</param>
/// <param name="NextAttempt">When a run is next started for it (back-off doubling from one minute, at most six hours); never once expired.</param>
/// <param name="ExpiresAt">When retries stop if Plex still does not have it (it is then listed as expired until its source drops it).</param>
public sealed record LabelPending(
    string Key, string Kind, string Name, bool IsShow, IReadOnlyList<string> Ids, string? Title, DateTimeOffset FirstSeen, int Attempts, DateTimeOffset NextAttempt, DateTimeOffset ExpiresAt);

/// <summary>What one run did to the pending queue.</summary>
public sealed record LabelPendingChange(IReadOnlyList<LabelPending> Queue, int Added, int Resolved, int Expired);

/// <summary>The pending queue's rules, apart from where it is stored.</summary>
public static class LabelPendingQueue
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan LastRetry = TimeSpan.FromHours(6);

    /// <summary>The claims no listed item answers to (same matching as the planner: type and tmdb/tvdb/imdb/plex id).</summary>
    public static IReadOnlyList<(string Kind, LabelClaim Claim)> Unmatched(IReadOnlyList<LabelTarget> targets, LabelInputs inputs)
    {
        var known = new HashSet<(bool, string)>();
        foreach (var target in targets)
        {
            foreach (var id in target.Ids)
            {
                known.Add((target.IsShow, id.ToString().ToLowerInvariant()));
            }
        }

        return [.. inputs.Wants.Select(c => (Kind: "want", Claim: c)).Concat(inputs.Tags.Select(c => (Kind: "tag", Claim: c)))
            .Where(x => !Ids(x.Claim).Any(id => known.Contains((x.Claim.IsShow, id))))];
    }

    /// <summary>
    /// The queue after a run: still-missing entries stay (their attempts counted, next retry pushed back), new ones join,
    /// found or no longer named ones leave (resolved), old ones stop retrying (expired). Entries of users whose source
    /// failed are kept untouched.
    /// </summary>
    public static LabelPendingChange Update(
        IReadOnlyList<LabelPending> queue, IReadOnlyList<(string Kind, LabelClaim Claim)> unmatched, IReadOnlySet<string> failedUsers, DateTimeOffset now, TimeSpan expiry)
    {
        var before = queue.ToDictionary(p => p.Key, StringComparer.Ordinal);
        var result = new Dictionary<string, LabelPending>(StringComparer.Ordinal);
        var (added, expired) = (0, 0);
        foreach (var (kind, claim) in unmatched)
        {
            var ids = Ids(claim).Order(StringComparer.Ordinal).ToList();
            if (ids.Count == 0)
            {
                continue;
            }

            var key = $"{kind}|{claim.Name.ToLowerInvariant()}|{(claim.IsShow ? "show" : "movie")}|{string.Join(' ', ids)}";
            if (result.ContainsKey(key))
            {
                continue;
            }

            if (before.TryGetValue(key, out var old))
            {
                if (old.ExpiresAt <= now)
                {
                    // Expired: no more retries, but remembered while the source still names it, so it does not come back as new.
                    expired += old.NextAttempt == DateTimeOffset.MaxValue ? 0 : 1;
                    result[key] = old with { NextAttempt = DateTimeOffset.MaxValue };
                    continue;
                }

                var attempts = old.Attempts + 1;
                result[key] = old with { Attempts = attempts, NextAttempt = now + Backoff(attempts), Title = old.Title ?? claim.Title };
            }
            else
            {
                added++;
                result[key] = new LabelPending(key, kind, claim.Name, claim.IsShow, ids, claim.Title, now, 0, now + FirstRetry, now + expiry);
            }
        }

        foreach (var kept in queue.Where(p => !result.ContainsKey(p.Key) && p.Kind == "want" && failedUsers.Contains(p.Name)))
        {
            result[kept.Key] = kept;
        }

        var resolved = queue.Count(p => !result.ContainsKey(p.Key));
        return new LabelPendingChange([.. result.Values.OrderBy(p => p.FirstSeen).ThenBy(p => p.Key, StringComparer.Ordinal)], added, resolved, expired);
    }

    private static TimeSpan Backoff(int attempts) =>
        TimeSpan.FromTicks(Math.Min(LastRetry.Ticks, FirstRetry.Ticks << Math.Min(attempts, 20)));

    private static IEnumerable<string> Ids(LabelClaim claim) =>
        claim.Ids.Where(i => i.Scheme is ExternalId.Tmdb or ExternalId.Tvdb or ExternalId.Imdb or ExternalId.Plex).Select(i => i.ToString().ToLowerInvariant()).Distinct();
}
