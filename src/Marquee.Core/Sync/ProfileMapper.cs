using System.Text.RegularExpressions;
using Marquee.Core.Connections;
using Marquee.Core.Profiles;
using Marquee.Core.Providers;

namespace Marquee.Core.Sync;

/// <summary>An account on each side of a flow that belong to the same profile.</summary>
public sealed record ProfilePair(long ProfileId, string ProfileName, Account Source, ProviderAccount SourceAccount, Account Target, ProviderAccount TargetAccount);

/// <summary>
/// Maps accounts across two connections to profiles: links made by hand win; otherwise owner to owner, then the
/// same user name or email. An unlinked pair gets a profile named after the source account.
/// </summary>
public sealed partial class ProfileMapper(IConnectionStore connections, IProfileStore profiles, TimeProvider clock)
{
    public async Task<IReadOnlyList<ProfilePair>> MapAsync(
        long sourceConnectionId,
        IReadOnlyList<ProviderAccount> sourceAccounts,
        long targetConnectionId,
        IReadOnlyList<ProviderAccount> targetAccounts,
        CancellationToken cancellationToken)
    {
        var source = await UpsertAsync(sourceConnectionId, sourceAccounts, cancellationToken);
        var target = await UpsertAsync(targetConnectionId, targetAccounts, cancellationToken);
        var links = (await profiles.ListLinksAsync(null, cancellationToken)).ToDictionary(l => l.AccountId);
        var pairs = new List<ProfilePair>();
        var pairedTargets = new HashSet<long>();
        foreach (var (account, provided) in source)
        {
            var linked = links.GetValueOrDefault(account.Id);
            var match = linked is not null
                ? target.FirstOrDefault(t => links.GetValueOrDefault(t.Account.Id)?.ProfileId == linked.ProfileId)
                : default;
            bool Free((Account Account, ProviderAccount Provided) t) =>
                !pairedTargets.Contains(t.Account.Id) && (links.GetValueOrDefault(t.Account.Id) is not { } l || linked is null || l.ProfileId == linked.ProfileId);
            if (match.Account is null)
            {
                // A name a server records for the other server (Shoko's Plex usernames) says more than two names that happen to agree.
                match = target.FirstOrDefault(t => Free(t) && Aliased(provided, t.Account, t.Provided, account));
            }

            if (match.Account is null)
            {
                match = target.FirstOrDefault(t => Free(t) && Same(account, t.Account));
            }

            if (match.Account is null || pairedTargets.Contains(match.Account.Id))
            {
                continue;
            }

            var targetLink = links.GetValueOrDefault(match.Account.Id);
            long profileId;
            if (linked is not null)
            {
                profileId = linked.ProfileId;
            }
            else if (targetLink is not null)
            {
                profileId = targetLink.ProfileId;
            }
            else
            {
                profileId = (await CreateProfileAsync(account.Name, cancellationToken)).Id;
            }

            if (linked is null)
            {
                await profiles.LinkAsync(profileId, account.Id, ProfileService.OriginAuto, cancellationToken);
            }

            if (targetLink is null)
            {
                await profiles.LinkAsync(profileId, match.Account.Id, ProfileService.OriginAuto, cancellationToken);
            }

            var profile = await profiles.GetAsync(profileId, cancellationToken);
            pairedTargets.Add(match.Account.Id);
            pairs.Add(new ProfilePair(profileId, profile?.Name ?? account.Name, account, provided, match.Account, match.Provided));
        }

        return pairs;
    }

    private static bool Aliased(ProviderAccount a, Account b, ProviderAccount bProvided, Account aStored) =>
        a.Aliases.Contains(b.Name, StringComparer.OrdinalIgnoreCase) || bProvided.Aliases.Contains(aStored.Name, StringComparer.OrdinalIgnoreCase);

    private static bool Same(Account a, Account b) =>
        (a.Kind == Account.KindOwner && b.Kind == Account.KindOwner)
        || a.Name.Equals(b.Name, StringComparison.OrdinalIgnoreCase)
        || (a.Email is { Length: > 0 } email && email.Equals(b.Email, StringComparison.OrdinalIgnoreCase));

    private async Task<List<(Account Account, ProviderAccount Provided)>> UpsertAsync(long connectionId, IReadOnlyList<ProviderAccount> accounts, CancellationToken cancellationToken)
    {
        var result = new List<(Account, ProviderAccount)>();
        foreach (var account in accounts)
        {
            result.Add((await connections.UpsertAccountAsync(connectionId, account.ExternalId, account.Name, account.Kind, account.Email, cancellationToken), account));
        }

        return result;
    }

    private async Task<Profile> CreateProfileAsync(string accountName, CancellationToken cancellationToken)
    {
        var baseName = NotName().Replace(accountName, "-").Trim('-', '.', '_');
        if (baseName.Length == 0 || baseName.All(char.IsAsciiDigit))
        {
            baseName = "user-" + baseName;
        }

        baseName = baseName.Length > 56 ? baseName[..56] : baseName;
        for (var n = 1; ; n++)
        {
            var name = n == 1 ? baseName : $"{baseName}-{n}";
            if (await profiles.InsertAsync(name, accountName, clock.GetUtcNow(), cancellationToken) is { } created)
            {
                return created;
            }
        }
    }

    [GeneratedRegex("[^A-Za-z0-9._-]+")]
    private static partial Regex NotName();
}
