using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Marquee.Core.Flows;
using Marquee.Core.Providers;
using Marquee.Core.Storage;
using Marquee.Core.Validation;

namespace Marquee.Core.Connections;

/// <summary>Creates, reads, updates, deletes and tests connections; the one place secrets are encrypted and masked.</summary>
public sealed class ConnectionService(
    IConnectionStore store,
    IFlowStore flows,
    ProviderRegistry providers,
    ISecretProtector secrets,
    IServiceProvider services,
    TimeProvider clock)
{
    private const string ProtectedPrefix = "enc:";

    /// <summary>Gets the longest a test made when a connection is added may take, whatever the provider's own limits.</summary>
    public static TimeSpan TestTimeout { get; } = TimeSpan.FromSeconds(20);

    public async Task<IReadOnlyList<ConnectionView>> ListAsync(CancellationToken cancellationToken)
    {
        var all = await store.ListAsync(cancellationToken);
        return all.Select(ToView).ToList();
    }

    public async Task<ConnectionView> GetAsync(string idOrName, CancellationToken cancellationToken) =>
        ToView(await FindAsync(idOrName, cancellationToken));

    public Task<StoredConnection> FindAsync(string idOrName, CancellationToken cancellationToken) =>
        IdOrName.FindAsync(idOrName, "connection", id => store.GetAsync(id, cancellationToken), name => store.FindByNameAsync(name, cancellationToken));

    public async Task<ConnectionView> CreateAsync(string? name, string? kind, JsonObject? settings, CancellationToken cancellationToken)
    {
        var (descriptor, typed) = Prepare(name, kind, settings);
        var stored = Protect(descriptor, SettingsCodec.Write(typed));
        var created = await store.InsertAsync(name!, descriptor.Kind, stored, clock.GetUtcNow(), cancellationToken)
            ?? throw new ConflictException("name", $"A connection named '{name}' already exists.");
        return ToView(created);
    }

    /// <summary>
    /// Creates the connection, then tests it. The connection is kept whatever the test says (a server restarting must not
    /// lose the settings); the outcome tells the caller whether it works.
    /// </summary>
    public async Task<(ConnectionView Connection, ConnectionTestOutcome Test)> CreateAndTestAsync(string? name, string? kind, JsonObject? settings, CancellationToken cancellationToken)
    {
        var created = await CreateAsync(name, kind, settings, cancellationToken);
        try
        {
            return (created, await TestStoredAsync(created.Id.ToString(CultureInfo.InvariantCulture), cancellationToken));
        }
        catch (NotFoundException)
        {
            return (created, ConnectionTestOutcome.From([new FieldProblem(string.Empty, "The connection was removed before it could be tested.")]));
        }
    }

    /// <summary>Tests a stored connection, bounded by <see cref="TestTimeout"/>; a failure is an outcome, not an exception.</summary>
    public async Task<ConnectionTestOutcome> TestStoredAsync(string idOrName, CancellationToken cancellationToken)
    {
        var existing = await FindAsync(idOrName, cancellationToken);
        var descriptor = Descriptor(existing.Kind);
        var typed = SettingsCodec.Read(descriptor, Unprotect(descriptor, JsonNode.Parse(existing.Settings)!.AsObject()));
        return await RunTestAsync(descriptor, typed, existing.Id, existing.Name, cancellationToken);
    }

    /// <summary>Validates a connection as <see cref="CreateAsync"/> would and tests it without storing anything.</summary>
    public async Task<ConnectionTestOutcome> TestNewAsync(string? name, string? kind, JsonObject? settings, CancellationToken cancellationToken)
    {
        var (descriptor, typed) = Prepare(name, kind, settings);
        if (await store.FindByNameAsync(name!, cancellationToken) is not null)
        {
            throw new ConflictException("name", $"A connection named '{name}' already exists.");
        }

        return await RunTestAsync(descriptor, typed, 0, name!, cancellationToken);
    }

    public async Task<ConnectionView> UpdateAsync(string idOrName, string? name, JsonObject? settings, CancellationToken cancellationToken)
    {
        var existing = await FindAsync(idOrName, cancellationToken);
        var descriptor = Descriptor(existing.Kind);
        var newName = name ?? existing.Name;
        if (Names.Check(newName) is { } nameProblem)
        {
            throw new ValidationException([nameProblem]);
        }

        if (!newName.Equals(existing.Name, StringComparison.OrdinalIgnoreCase) && await store.FindByNameAsync(newName, cancellationToken) is not null)
        {
            throw new ConflictException("name", $"A connection named '{newName}' already exists.");
        }

        var current = Unprotect(descriptor, JsonNode.Parse(existing.Settings)!.AsObject());
        var merged = settings is null ? current : Merge(descriptor, settings, current);
        var typed = ReadSettings(descriptor, merged);
        var stored = Protect(descriptor, SettingsCodec.Write(typed));
        await store.UpdateAsync(existing.Id, newName, stored, clock.GetUtcNow(), cancellationToken);
        return await GetAsync(existing.Id.ToString(CultureInfo.InvariantCulture), cancellationToken);
    }

    public async Task DeleteAsync(string idOrName, CancellationToken cancellationToken)
    {
        var existing = await FindAsync(idOrName, cancellationToken);
        var users = await flows.NamesUsingConnectionAsync(existing.Id, cancellationToken);
        if (users.Count > 0)
        {
            throw new ConflictException("id", $"Connection '{existing.Name}' is used by flow(s) {string.Join(", ", users)}; remove them first.");
        }

        await store.DeleteAsync(existing.Id, cancellationToken);
    }

    /// <summary>Returns the connection's settings with secrets decrypted, for providers only.</summary>
    public async Task<ProviderSettings> GetSettingsAsync(string idOrName, CancellationToken cancellationToken)
    {
        var existing = await FindAsync(idOrName, cancellationToken);
        var descriptor = Descriptor(existing.Kind);
        return SettingsCodec.Read(descriptor, Unprotect(descriptor, JsonNode.Parse(existing.Settings)!.AsObject()));
    }

    public async Task<IReadOnlyList<FieldProblem>> TestAsync(string idOrName, CancellationToken cancellationToken)
    {
        var existing = await FindAsync(idOrName, cancellationToken);
        var settings = await GetSettingsAsync(idOrName, cancellationToken);
        var provider = Descriptor(existing.Kind).Create(settings, new ProviderContext(existing.Id, existing.Name, services, new RequestCounts()));
        return await provider.TestAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<Account>> ListAccountsAsync(string idOrName, CancellationToken cancellationToken)
    {
        var existing = await FindAsync(idOrName, cancellationToken);
        return await store.ListAccountsAsync(existing.Id, cancellationToken);
    }

    /// <summary>
    /// Asks the provider for the connection's accounts (when it can list them), stores them with whether Marquee can act
    /// for each, and returns the stored accounts. When the provider cannot be reached the stored accounts are returned
    /// with the problem.
    /// </summary>
    public async Task<AccountRefresh> RefreshAccountsAsync(string idOrName, CancellationToken cancellationToken)
    {
        var existing = await FindAsync(idOrName, cancellationToken);
        var settings = await GetSettingsAsync(idOrName, cancellationToken);
        var provider = Descriptor(existing.Kind).Create(settings, new ProviderContext(existing.Id, existing.Name, services, new RequestCounts()));
        string? problem = null;
        if (provider is IAccountDirectory directory)
        {
            try
            {
                foreach (var account in await directory.ListAccountsAsync(cancellationToken))
                {
                    await store.UpsertAccountAsync(existing.Id, account.ExternalId, account.Name, account.Kind, account.Email, cancellationToken);
                    await store.SetAccountStatusAsync(existing.Id, account.ExternalId, account.CanAct ? Account.StatusOk : Account.StatusNoAccess, account.CanAct ? null : account.Reason, cancellationToken);
                }

                problem = directory.Incomplete;
            }
            catch (ProviderException ex)
            {
                problem = ex.Message;
            }
        }

        return new AccountRefresh(await store.ListAccountsAsync(existing.Id, cancellationToken), problem);
    }

    /// <summary>Stores (encrypted) the PIN of a protected Plex Home user, so Marquee can switch to it.</summary>
    public async Task<Account> SetAccountPinAsync(string idOrName, string account, string? pin, CancellationToken cancellationToken)
    {
        var existing = await FindAsync(idOrName, cancellationToken);
        if (pin is not null && (pin.Length != 4 || !pin.All(char.IsAsciiDigit)))
        {
            throw new ValidationException([new FieldProblem("pin", "'pin' must be the 4-digit Plex Home PIN.")]);
        }

        var found = await store.FindAccountAsync(existing.Id, account, cancellationToken)
            ?? throw new NotFoundException("account", account);
        var credentials = new AccountCredentials(store, secrets);

        // A new PIN means the tokens are obtained again with it on next use.
        await credentials.SetAsync(existing.Id, found.ExternalId, new AccountCredential { Pin = pin }, clock.GetUtcNow(), cancellationToken);
        await store.SetAccountStatusAsync(existing.Id, found.ExternalId, Account.StatusUnknown, pin is null ? null : "PIN stored; run 'marquee connection show' to check access", cancellationToken);
        return (await store.FindAccountAsync(existing.Id, found.ExternalId, cancellationToken))!;
    }

    /// <summary>Returns true when the stored settings equal <paramref name="settings"/> (secrets compared decrypted).</summary>
    public bool HasSettings(StoredConnection existing, JsonObject settings)
    {
        var descriptor = Descriptor(existing.Kind);
        var current = Unprotect(descriptor, JsonNode.Parse(existing.Settings)!.AsObject());
        var wanted = SettingsCodec.Write(ReadSettings(descriptor, Merge(descriptor, settings, current)));
        return JsonNode.DeepEquals(current, wanted);
    }

    /// <summary>
    /// Returns <paramref name="settings"/> with the stored values of the fields the provider renews itself
    /// (<see cref="FieldAttribute.Renewed"/>, such as rotating OAuth tokens): a declared value only seeds a new connection.
    /// </summary>
    public JsonObject KeepRenewed(StoredConnection existing, JsonObject settings)
    {
        var descriptor = Descriptor(existing.Kind);
        var renewed = SettingsField.Renewed(descriptor.SettingsType);
        if (renewed.Count == 0)
        {
            return settings;
        }

        var current = Unprotect(descriptor, JsonNode.Parse(existing.Settings)!.AsObject());
        var copy = settings.DeepClone().AsObject();
        foreach (var name in renewed)
        {
            copy[name] = current[name]?.DeepClone();
        }

        return copy;
    }

    /// <summary>Returns the connection's settings with secrets either decrypted or masked, for export.</summary>
    public JsonObject ExportSettings(StoredConnection existing, bool includeSecrets)
    {
        var descriptor = Descriptor(existing.Kind);
        var settings = JsonNode.Parse(existing.Settings)!.AsObject();
        return includeSecrets ? Unprotect(descriptor, settings) : SettingsCodec.Mask(descriptor, settings);
    }

    private (IProviderDescriptor Descriptor, ProviderSettings Settings) Prepare(string? name, string? kind, JsonObject? settings)
    {
        var problems = new List<FieldProblem>();
        if (Names.Check(name) is { } nameProblem)
        {
            problems.Add(nameProblem);
        }

        var descriptor = Describe(kind, problems);
        if (settings is null)
        {
            problems.Add(new FieldProblem("settings", "'settings' is required."));
        }
        else if (descriptor is not null)
        {
            problems.AddRange(ConnectionSecrets.CredentialsInUrls(descriptor, settings).Concat(ConnectionSecrets.MaskedOnCreate(descriptor, settings))
                .Select(p => p with { Field = PrefixField(p.Field) }));
        }

        if (problems.Count > 0)
        {
            throw new ValidationException(problems);
        }

        return (descriptor!, ReadSettings(descriptor!, settings!));
    }

    /// <summary>Merges an update's settings with the stored ones: masked secrets keep their stored value unless the URL moves to another origin.</summary>
    private static JsonObject Merge(IProviderDescriptor descriptor, JsonObject incoming, JsonObject current)
    {
        var problems = ConnectionSecrets.CredentialsInUrls(descriptor, incoming).Concat(ConnectionSecrets.MaskedOnNewOrigin(descriptor, incoming, current))
            .Select(p => p with { Field = PrefixField(p.Field) })
            .ToList();
        if (problems.Count > 0)
        {
            throw new ValidationException(problems);
        }

        return SettingsCodec.KeepMaskedSecrets(descriptor, incoming, current);
    }

    private async Task<ConnectionTestOutcome> RunTestAsync(IProviderDescriptor descriptor, ProviderSettings settings, long id, string name, CancellationToken cancellationToken)
    {
        var provider = descriptor.Create(settings, new ProviderContext(id, name, services, new RequestCounts()));
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(TestTimeout);
        try
        {
            return ConnectionTestOutcome.From(await provider.TestAsync(bounded.Token));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ConnectionTestOutcome.From([new FieldProblem("url", $"The server gave no answer within {TestTimeout.TotalSeconds:0} s.")]);
        }
        catch (Exception ex) when (ex is ProviderException or InvalidOperationException or JsonException or IOException)
        {
            return ConnectionTestOutcome.From([new FieldProblem("url", ex.Message)]);
        }
    }

    private ProviderSettings ReadSettings(IProviderDescriptor descriptor, JsonObject settings)
    {
        try
        {
            return SettingsCodec.Read(descriptor, settings);
        }
        catch (ValidationException ex)
        {
            // Settings problems are reported as "settings.<field>" so API callers can find them in the body.
            throw new ValidationException(ex.Problems.Select(p => p with { Field = PrefixField(p.Field) }).ToList());
        }
    }

    private static string PrefixField(string field) => field.Length == 0 ? "settings" : "settings." + field;

    private IProviderDescriptor? Describe(string? kind, List<FieldProblem> problems)
    {
        if (string.IsNullOrWhiteSpace(kind))
        {
            problems.Add(new FieldProblem("kind", $"'kind' is required; one of: {string.Join(", ", providers.Kinds)}."));
            return null;
        }

        if (!providers.TryGet(kind, out var descriptor))
        {
            problems.Add(new FieldProblem("kind", $"Unknown kind '{kind}'; one of: {string.Join(", ", providers.Kinds)}."));
            return null;
        }

        return descriptor;
    }

    private IProviderDescriptor Descriptor(string kind) =>
        providers.TryGet(kind, out var descriptor)
            ? descriptor
            : throw new InvalidOperationException($"Connection kind '{kind}' is not known to this version of Marquee.");

    private ConnectionView ToView(StoredConnection connection)
    {
        var settings = JsonNode.Parse(connection.Settings)?.AsObject() ?? [];
        var masked = providers.TryGet(connection.Kind, out var descriptor) ? ConnectionSecrets.HideUrlCredentials(descriptor, SettingsCodec.Mask(descriptor, settings)) : [];
        return new ConnectionView(connection.Id, connection.Name, connection.Kind, masked, connection.CreatedAt, connection.UpdatedAt);
    }

    private string Protect(IProviderDescriptor descriptor, JsonObject settings) =>
        SettingsCodec.Transform(descriptor, settings, s => ProtectedPrefix + secrets.Protect(s)).ToJsonString(JsonOptions);

    private JsonObject Unprotect(IProviderDescriptor descriptor, JsonObject settings) =>
        SettingsCodec.Transform(descriptor, settings, s => s.StartsWith(ProtectedPrefix, StringComparison.Ordinal)
            ? secrets.Unprotect(s[ProtectedPrefix.Length..])
            : s);

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}
