using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Xml.Linq;
using Marquee.Core.Connections;
using Marquee.Core.Providers;
using Marquee.Providers.Plex.Models;

namespace Marquee.Providers.Plex;

/// <summary>
/// Finds a connection's accounts (owner, Plex Home users, friends) and each one's own server token (PLEX-API.md 2.4-2.6):
/// Home users through a Home switch (with their PIN when protected) and resources, friends through shared_servers.
/// Tokens are cached in memory and, when a store is available, encrypted in it.
/// </summary>
internal sealed class PlexAccounts(PlexClient client, PlexSettings settings, ProviderContext context, AccountCredentials? store, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, AccountCredential> _cache = new(StringComparer.Ordinal);
    private string? _machineId = settings.MachineIdentifier;
    private Dictionary<string, PlexTvUser>? _home;
    private Dictionary<string, string?>? _shared;

    public string PlexTvToken => string.IsNullOrEmpty(settings.PlexTvToken) ? settings.Token : settings.PlexTvToken;

    /// <summary>Why the last <see cref="ListAsync"/> may miss home users and friends, or null when plex.tv answered.</summary>
    public string? Incomplete { get; private set; }

    public async Task<IReadOnlyList<ProviderAccount>> ListAsync(CancellationToken cancellationToken)
    {
        Incomplete = null;
        _home = null;
        _shared = null;
        var result = new List<ProviderAccount>();
        var stored = await StoredAsync(cancellationToken);

        // The owner keeps the id it was first stored with, whatever plex.tv answers now (or fails to): profiles hang on it.
        var storedOwner = stored.FirstOrDefault(a => a.Kind == Account.KindOwner);
        PlexTvUser me;
        try
        {
            me = await client.GetJsonAsync(PlexHost.PlexTv, "/api/v2/user", "api/v2/user", PlexTvToken, PlexJson.Default.PlexTvUser, cancellationToken);
        }
        catch (ProviderException ex) when (ex.IsAuthFailure)
        {
            // The token is a server token, not a plex.tv account token: only the owner (the connection's own token) is known.
            var owner = new ProviderAccount(storedOwner?.ExternalId ?? "owner", storedOwner?.Name ?? "owner", Account.KindOwner, storedOwner?.Email, true, $"Home users and friends unknown: {ex.Message}");
            Incomplete = $"home users and friends are unknown: plex.tv refused the connection's token ({ex.Message})";
            await SaveAsync(owner, null, cancellationToken);
            return [owner];
        }
        catch (ProviderException ex)
        {
            return await WithoutPlexTvAsync(stored, storedOwner, ex, cancellationToken);
        }

        var ownerAccount = new ProviderAccount(storedOwner?.ExternalId ?? Id(me.Id), Name(me), Account.KindOwner, me.Email);
        await SaveAsync(ownerAccount, new AccountCredential { ServerToken = settings.Token, AccountToken = PlexTvToken }, cancellationToken);
        result.Add(ownerAccount);

        var homeIds = new HashSet<string>(StringComparer.Ordinal) { ownerAccount.ExternalId, Id(me.Id) };
        try
        {
            foreach (var user in (await HomeAsync(cancellationToken)).Values.Where(u => !homeIds.Contains(Id(u.Id))))
            {
                homeIds.Add(Id(user.Id));
                var account = new ProviderAccount(Id(user.Id), Name(user), Account.KindHome, string.IsNullOrEmpty(user.Email) ? null : user.Email);
                result.Add(await CheckAsync(account, cancellationToken));
            }
        }
        catch (ProviderException ex) when (ex.Status is HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
        {
            // Not a Plex Home: only friends.
        }

        var users = await client.GetXmlAsync(PlexHost.PlexTv, "/api/users", "api/users", PlexTvToken, cancellationToken);
        foreach (var user in users.Descendants("User"))
        {
            var id = (string?)user.Attribute("id");
            if (string.IsNullOrEmpty(id) || homeIds.Contains(id))
            {
                continue;
            }

            var home = (string?)user.Attribute("home") == "1";
            var title = (string?)user.Attribute("title");
            var username = (string?)user.Attribute("username");
            var email = (string?)user.Attribute("email");
            var account = new ProviderAccount(id, string.IsNullOrEmpty(title) ? username ?? id : title, home ? Account.KindHome : Account.KindFriend, string.IsNullOrEmpty(email) ? null : email);
            result.Add(await CheckAsync(account, cancellationToken));
        }

        return result;
    }

    /// <summary>
    /// plex.tv is down (unreachable, 5xx, timing out): the owner acts with the connection's own token, the other accounts
    /// stored before act with their cached server tokens, and only those without one are skipped, with the reason.
    /// </summary>
    private async Task<IReadOnlyList<ProviderAccount>> WithoutPlexTvAsync(IReadOnlyList<Account> stored, Account? storedOwner, ProviderException outage, CancellationToken cancellationToken)
    {
        Incomplete = $"plex.tv, which lists home users and friends, cannot be reached ({outage.Message})";
        var owner = new ProviderAccount(storedOwner?.ExternalId ?? "owner", storedOwner?.Name ?? "owner", Account.KindOwner, storedOwner?.Email);
        if (storedOwner is null)
        {
            await SaveAsync(owner, null, cancellationToken);
        }

        var result = new List<ProviderAccount> { owner };
        foreach (var known in stored.Where(a => a.Kind != Account.KindOwner))
        {
            var account = new ProviderAccount(known.ExternalId, known.Name, known.Kind, known.Email);
            if ((await CachedAsync(account, cancellationToken))?.ServerToken is not null)
            {
                result.Add(account);
                continue;
            }

            var reason = $"no server token is stored for this account and plex.tv, which hands them out, cannot be asked now ({outage.Message})";
            await StatusAsync(account, Account.StatusNoAccess, reason, cancellationToken);
            result.Add(account with { CanAct = false, Reason = reason });
        }

        return result;
    }

    private async Task<IReadOnlyList<Account>> StoredAsync(CancellationToken cancellationToken) =>
        store is not null && context.ConnectionId > 0 && context.Services.GetService(typeof(IConnectionStore)) is IConnectionStore connections
            ? await connections.ListAccountsAsync(context.ConnectionId, cancellationToken)
            : [];

    /// <summary>The server token to act for <paramref name="account"/>; obtains and caches it when needed.</summary>
    public async Task<string> ServerTokenAsync(ProviderAccount account, CancellationToken cancellationToken)
    {
        if (IsOwner(account))
        {
            return settings.Token;
        }

        var cached = await CachedAsync(account, cancellationToken);
        if (cached?.ServerToken is { } token)
        {
            return token;
        }

        var obtained = await ObtainAsync(account, cached?.Pin, cancellationToken);
        if (obtained.Reason is not null)
        {
            await LostAsync(account, obtained.Reason, cancellationToken);
            throw NoAccess(account, obtained.Reason);
        }

        return obtained.Credential!.ServerToken!;
    }

    /// <summary>The plex.tv account token of <paramref name="account"/> (watchlist); friends have none Marquee can obtain.</summary>
    public async Task<string> AccountTokenAsync(ProviderAccount account, CancellationToken cancellationToken)
    {
        if (IsOwner(account))
        {
            return PlexTvToken;
        }

        var cached = await CachedAsync(account, cancellationToken);
        if (cached?.AccountToken is { } token)
        {
            return token;
        }

        if (account.Kind == Account.KindFriend)
        {
            throw NoAccess(account, "a friend's plex.tv account token cannot be obtained, so their watchlist is out of reach");
        }

        var obtained = await ObtainAsync(account, cached?.Pin, cancellationToken);
        return obtained.Credential?.AccountToken ?? throw NoAccess(account, obtained.Reason ?? "no account token");
    }

    /// <summary>Runs <paramref name="action"/> with the account's server token; on a 401 gets a new token once, then reports the lost access.</summary>
    public async Task<T> WithServerTokenAsync<T>(ProviderAccount account, Func<string, Task<T>> action, CancellationToken cancellationToken)
    {
        var token = await ServerTokenAsync(account, cancellationToken);
        try
        {
            return await action(token);
        }
        catch (ProviderException ex) when (ex.Status == HttpStatusCode.Unauthorized)
        {
            if (IsOwner(account))
            {
                var reason = $"the server refused the connection's token ({ex.Endpoint})";
                await LostAsync(account, reason, cancellationToken);
                throw NoAccess(account, reason, ex);
            }

            _cache.TryRemove(account.ExternalId, out var old);
            var obtained = await ObtainAsync(account, old?.Pin ?? (await CachedAsync(account, cancellationToken))?.Pin, cancellationToken);
            if (obtained.Reason is not null)
            {
                await LostAsync(account, obtained.Reason, cancellationToken);
                throw NoAccess(account, obtained.Reason, ex);
            }

            try
            {
                return await action(obtained.Credential!.ServerToken!);
            }
            catch (ProviderException again) when (again.Status == HttpStatusCode.Unauthorized)
            {
                var reason = $"the server refused a freshly obtained token ({again.Endpoint}); the server may no longer be shared with this account";
                await LostAsync(account, reason, cancellationToken);
                throw NoAccess(account, reason, again);
            }
        }
    }

    public async Task<string> MachineIdAsync(CancellationToken cancellationToken)
    {
        if (_machineId is null)
        {
            var identity = await client.GetJsonAsync(PlexHost.Server, "/identity", "identity", null, PlexJson.Default.PlexResponse, cancellationToken);
            _machineId = identity.MediaContainer?.MachineIdentifier
                ?? throw new ProviderException(PlexClient.ProviderName, null, $"Plex server '{client.ConnectionName}': GET /identity: no machineIdentifier in the answer") { Endpoint = "GET /identity" };
        }

        return _machineId;
    }

    private static bool IsOwner(ProviderAccount account) => account.Kind == Account.KindOwner;

    private ProviderException NoAccess(ProviderAccount account, string reason, Exception? inner = null) =>
        new(PlexClient.ProviderName, HttpStatusCode.Unauthorized, $"Plex connection '{client.ConnectionName}': Marquee cannot act for {account.Kind} '{account.Name}': {reason}", inner);

    private async Task<ProviderAccount> CheckAsync(ProviderAccount account, CancellationToken cancellationToken)
    {
        var cached = await CachedAsync(account, cancellationToken);
        await SaveAsync(account, null, cancellationToken);
        if (cached?.ServerToken is not null)
        {
            await StatusAsync(account, Account.StatusOk, null, cancellationToken);
            return account;
        }

        var obtained = await ObtainAsync(account, cached?.Pin, cancellationToken);
        if (obtained.Reason is not null)
        {
            await StatusAsync(account, Account.StatusNoAccess, obtained.Reason, cancellationToken);
            return account with { CanAct = false, Reason = obtained.Reason };
        }

        await StatusAsync(account, Account.StatusOk, null, cancellationToken);
        return account;
    }

    private async Task<(AccountCredential? Credential, string? Reason)> ObtainAsync(ProviderAccount account, string? pin, CancellationToken cancellationToken)
    {
        try
        {
            var home = account.Kind == Account.KindFriend ? null : (await HomeSafeAsync(cancellationToken))?.GetValueOrDefault(account.ExternalId);
            if (home is not null)
            {
                return await SwitchAsync(account, home, pin, cancellationToken);
            }

            _shared ??= await SharedAsync(cancellationToken);
            if (_shared.TryGetValue(account.ExternalId, out var token) && !string.IsNullOrEmpty(token))
            {
                var credential = new AccountCredential { ServerToken = token, Pin = pin };
                await RememberAsync(account, credential, cancellationToken);
                return (credential, null);
            }

            return (null, account.Kind == Account.KindHome
                ? "not a member of the owner's Plex Home any more, and the server is not shared with this account"
                : "plex.tv lists no share of this server for this friend (invitation pending or access removed), so no server token can be had");
        }
        catch (ProviderException ex)
        {
            return (null, $"plex.tv did not hand out a token: {ex.Message}");
        }
    }

    private async Task<(AccountCredential? Credential, string? Reason)> SwitchAsync(ProviderAccount account, PlexTvUser user, string? pin, CancellationToken cancellationToken)
    {
        if (user.Protected && string.IsNullOrEmpty(pin))
        {
            return (null, $"Plex Home user with a PIN; give it with: marquee connection set-pin {client.ConnectionName} --account \"{account.Name}\" --pin NNNN");
        }

        var target = Uri.EscapeDataString(string.IsNullOrEmpty(user.Uuid) ? Id(user.Id) : user.Uuid);
        var query = user.Protected ? $"?pin={Uri.EscapeDataString(pin!)}" : string.Empty;
        PlexTvUser switched;
        try
        {
            switched = await client.PostJsonAsync(PlexHost.PlexTv, "/api/v2/home/users/{uuid}/switch", $"api/v2/home/users/{target}/switch{query}", PlexTvToken, PlexJson.Default.PlexTvUser, cancellationToken);
        }
        catch (ProviderException ex) when (ex.IsAuthFailure)
        {
            return (null, user.Protected ? "plex.tv refused the Home switch: the stored PIN is wrong; set it again with marquee connection set-pin" : $"plex.tv refused the Home switch ({ex.Message})");
        }

        if (string.IsNullOrEmpty(switched.AuthToken))
        {
            return (null, "the Home switch answered without a token");
        }

        var machineId = await MachineIdAsync(cancellationToken);
        var resources = await client.GetJsonAsync(PlexHost.PlexTv, "/api/v2/resources", "api/v2/resources?includeHttps=1&includeRelay=1&includeIPv6=1", switched.AuthToken, PlexJson.Default.ListPlexResource, cancellationToken);
        var server = resources.FirstOrDefault(r => r.IsServer && string.Equals(r.ClientIdentifier, machineId, StringComparison.OrdinalIgnoreCase));
        if (string.IsNullOrEmpty(server?.AccessToken))
        {
            return (null, "plex.tv does not list this server among the Home user's resources");
        }

        var credential = new AccountCredential { ServerToken = server.AccessToken, AccountToken = switched.AuthToken, Pin = pin };
        await RememberAsync(account, credential, cancellationToken);
        return (credential, null);
    }

    private async Task<Dictionary<string, PlexTvUser>?> HomeSafeAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await HomeAsync(cancellationToken);
        }
        catch (ProviderException ex) when (ex.Status is HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private async Task<Dictionary<string, PlexTvUser>> HomeAsync(CancellationToken cancellationToken)
    {
        if (_home is null)
        {
            var home = await client.GetJsonAsync(PlexHost.PlexTv, "/api/v2/home/users", "api/v2/home/users", PlexTvToken, PlexJson.Default.PlexHome, cancellationToken);
            _home = (home.Users ?? []).Where(u => !u.Admin && u.Id != 0).ToDictionary(u => Id(u.Id), StringComparer.Ordinal);
        }

        return _home;
    }

    private async Task<Dictionary<string, string?>> SharedAsync(CancellationToken cancellationToken)
    {
        var machineId = await MachineIdAsync(cancellationToken);
        XDocument shared = await client.GetXmlAsync(PlexHost.PlexTv, "/api/servers/{machineId}/shared_servers", $"api/servers/{Uri.EscapeDataString(machineId)}/shared_servers", PlexTvToken, cancellationToken);
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var share in shared.Descendants("SharedServer"))
        {
            if ((string?)share.Attribute("userID") is { Length: > 0 } userId)
            {
                result[userId] = (string?)share.Attribute("accessToken");
            }
        }

        return result;
    }

    private async Task<AccountCredential?> CachedAsync(ProviderAccount account, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(account.ExternalId, out var cached))
        {
            return cached;
        }

        if (store is null)
        {
            return null;
        }

        var stored = await store.GetAsync(context.ConnectionId, account.ExternalId, cancellationToken);
        if (stored is not null)
        {
            _cache[account.ExternalId] = stored;
        }

        return stored;
    }

    private async Task RememberAsync(ProviderAccount account, AccountCredential credential, CancellationToken cancellationToken)
    {
        _cache[account.ExternalId] = credential;
        if (store is not null)
        {
            await SaveAsync(account, credential, cancellationToken);
        }
    }

    private async Task SaveAsync(ProviderAccount account, AccountCredential? credential, CancellationToken cancellationToken)
    {
        if (credential is not null)
        {
            _cache[account.ExternalId] = credential;
        }

        if (context.Services.GetService(typeof(IConnectionStore)) is not IConnectionStore connections || store is null || context.ConnectionId <= 0)
        {
            return;
        }

        await connections.UpsertAccountAsync(context.ConnectionId, account.ExternalId, account.Name, account.Kind, account.Email, cancellationToken);
        if (credential is not null)
        {
            await store.SetAsync(context.ConnectionId, account.ExternalId, credential, time.GetUtcNow(), cancellationToken);
            await store.SetStatusAsync(context.ConnectionId, account.ExternalId, Account.StatusOk, null, cancellationToken);
        }
    }

    private async Task StatusAsync(ProviderAccount account, string status, string? reason, CancellationToken cancellationToken)
    {
        if (store is not null && context.ConnectionId > 0)
        {
            await store.SetStatusAsync(context.ConnectionId, account.ExternalId, status, reason, cancellationToken);
        }
    }

    private async Task LostAsync(ProviderAccount account, string reason, CancellationToken cancellationToken)
    {
        _cache.TryRemove(account.ExternalId, out var old);
        if (store is not null && context.ConnectionId > 0)
        {
            // Keep a PIN the user gave; drop the tokens that stopped working.
            await store.SetAsync(context.ConnectionId, account.ExternalId, new AccountCredential { Pin = old?.Pin }, time.GetUtcNow(), cancellationToken);
            await store.SetStatusAsync(context.ConnectionId, account.ExternalId, Account.StatusNoAccess, reason, cancellationToken);
        }

        LostAccess[account.ExternalId] = reason;
    }

    /// <summary>Gets the accounts that lost access during this provider's life, with the reason, for run reports.</summary>
    public ConcurrentDictionary<string, string> LostAccess { get; } = new(StringComparer.Ordinal);

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    private static string Name(PlexTvUser user) =>
        !string.IsNullOrEmpty(user.Title) ? user.Title : !string.IsNullOrEmpty(user.Username) ? user.Username : Id(user.Id);
}
