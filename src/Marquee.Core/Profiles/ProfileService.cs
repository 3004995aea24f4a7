using Marquee.Core.Connections;
using Marquee.Core.Providers;
using Marquee.Core.Validation;

namespace Marquee.Core.Profiles;

/// <summary>Profiles (people) and the accounts linked to them.</summary>
public sealed class ProfileService(IProfileStore store, IConnectionStore connections, ConnectionService connectionService, TimeProvider clock)
{
    public const string OriginManual = "manual";
    public const string OriginAuto = "auto";

    public Task<IReadOnlyList<Profile>> ListAsync(CancellationToken cancellationToken) => store.ListAsync(cancellationToken);

    public Task<Profile> FindAsync(string idOrName, CancellationToken cancellationToken) =>
        IdOrName.FindAsync(idOrName, "profile", id => store.GetAsync(id, cancellationToken), name => store.FindByNameAsync(name, cancellationToken));

    public async Task<Profile> CreateAsync(string? name, string? displayName, CancellationToken cancellationToken)
    {
        if (Names.Check(name) is { } problem)
        {
            throw new ValidationException([problem]);
        }

        return await store.InsertAsync(name!, NullIfBlank(displayName), clock.GetUtcNow(), cancellationToken)
            ?? throw new ConflictException("name", $"A profile named '{name}' already exists.");
    }

    public async Task<Profile> UpdateAsync(string idOrName, string? name, string? displayName, CancellationToken cancellationToken)
    {
        var existing = await FindAsync(idOrName, cancellationToken);
        var newName = name ?? existing.Name;
        if (Names.Check(newName) is { } problem)
        {
            throw new ValidationException([problem]);
        }

        if (!newName.Equals(existing.Name, StringComparison.OrdinalIgnoreCase) && await store.FindByNameAsync(newName, cancellationToken) is not null)
        {
            throw new ConflictException("name", $"A profile named '{newName}' already exists.");
        }

        // A profile removed by a concurrent request is gone, not updated.
        var key = existing.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!await store.UpdateAsync(existing.Id, newName, displayName is null ? existing.DisplayName : NullIfBlank(displayName), cancellationToken))
        {
            throw new NotFoundException("profile", key);
        }

        return await store.GetAsync(existing.Id, cancellationToken) ?? throw new NotFoundException("profile", key);
    }

    public async Task DeleteAsync(string idOrName, CancellationToken cancellationToken)
    {
        var existing = await FindAsync(idOrName, cancellationToken);
        await store.DeleteAsync(existing.Id, cancellationToken);
    }

    public async Task<IReadOnlyList<LinkedAccount>> ListLinksAsync(string? idOrName, CancellationToken cancellationToken)
    {
        long? id = idOrName is null ? null : (await FindAsync(idOrName, cancellationToken)).Id;
        return await store.ListLinksAsync(id, cancellationToken);
    }

    /// <summary>
    /// Links an account of a connection to a profile. An account the store does not know yet (typed before the
    /// connection's accounts were listed) is looked up by listing them now; one the connection does not have is refused,
    /// naming the accounts it has. When the accounts cannot be listed (the server is unreachable) the link is refused
    /// too, unless <paramref name="allowPending"/> (declarative configuration applied at start, when a server may be
    /// down): then it is kept under the given name until linking again finds the account, and runs name the profile
    /// they skip meanwhile.
    /// </summary>
    public async Task<LinkedAccount> LinkAsync(string profile, string? connection, string? account, CancellationToken cancellationToken, bool allowPending = false)
    {
        var problems = new List<FieldProblem>();
        if (string.IsNullOrWhiteSpace(connection))
        {
            problems.Add(new FieldProblem("connection", "'connection' is required."));
        }

        if (string.IsNullOrWhiteSpace(account))
        {
            problems.Add(new FieldProblem("account", "'account' is required (the account's id or name on the connection)."));
        }

        if (problems.Count > 0)
        {
            throw new ValidationException(problems);
        }

        var target = await FindAsync(profile, cancellationToken);
        var conn = await connectionService.FindAsync(connection!, cancellationToken);
        var name = account!.Trim();
        var found = await connections.FindAccountAsync(conn.Id, name, cancellationToken);
        if (found is null || found.Kind == Account.KindUnknown)
        {
            var listed = await connectionService.RefreshAccountsAsync(conn.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
            var known = listed.Accounts.Where(a => a.Kind != Account.KindUnknown).ToList();
            var resolved = known.FirstOrDefault(a => a.ExternalId == name) ?? known.FirstOrDefault(a => a.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
            if (resolved is not null)
            {
                if (found is not null)
                {
                    // The placeholder an earlier link left gives way to the account it stood for.
                    await store.UnlinkAsync(target.Id, found.Id, cancellationToken);
                }

                found = resolved;
            }
            else if (listed.Problem is null)
            {
                var names = known.Count == 0 ? "it lists none" : "it has " + string.Join(", ", known.Select(a => $"'{a.Name}'"));
                throw new ValidationException([new FieldProblem("account", $"The connection '{conn.Name}' has no account '{name}' ({names}).")]);
            }
            else if (!allowPending)
            {
                throw new ValidationException([new FieldProblem("account", $"The account '{name}' is not among the accounts Marquee knows of '{conn.Name}', and they could not be listed now: {listed.Problem} Link it again when the server can be reached.")]);
            }
            else
            {
                found ??= await connections.UpsertAccountAsync(conn.Id, name, name, Account.KindUnknown, null, cancellationToken);
            }
        }

        await store.LinkAsync(target.Id, found.Id, OriginManual, cancellationToken);
        var links = await store.ListLinksAsync(target.Id, cancellationToken);
        return links.SingleOrDefault(l => l.AccountId == found.Id)
            ?? throw new ConflictException("account", $"The account '{account}' was linked elsewhere or removed meanwhile.");
    }

    public async Task UnlinkAsync(string profile, string? connection, string? account, CancellationToken cancellationToken)
    {
        var target = await FindAsync(profile, cancellationToken);
        if (string.IsNullOrWhiteSpace(connection) || string.IsNullOrWhiteSpace(account))
        {
            throw ValidationException.For(string.IsNullOrWhiteSpace(connection) ? "connection" : "account", "Both 'connection' and 'account' are required.");
        }

        var conn = await connectionService.FindAsync(connection, cancellationToken);
        var found = await connections.FindAccountAsync(conn.Id, account.Trim(), cancellationToken)
            ?? throw new NotFoundException("account", $"{conn.Name}/{account}");
        if (!await store.UnlinkAsync(target.Id, found.Id, cancellationToken))
        {
            throw new NotFoundException("link", $"{target.Name} -> {conn.Name}/{account}");
        }
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
