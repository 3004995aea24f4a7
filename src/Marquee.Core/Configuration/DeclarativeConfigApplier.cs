using Marquee.Core.Connections;
using Marquee.Core.Flows;
using Marquee.Core.Profiles;
using Marquee.Core.Storage;
using Marquee.Core.Validation;

namespace Marquee.Core.Configuration;

/// <summary>
/// Makes the store match marquee.yaml for what the file declares. Things the file does not mention are
/// left alone, so the CLI and the API can still add to them. Applying the same file twice writes nothing.
/// A file is applied whole or not at all: its references are checked first, then every change is made in one store
/// transaction, which a refused entry rolls back (the connections and profiles before it included).
/// </summary>
public sealed class DeclarativeConfigApplier(
    IConnectionStore connectionStore,
    ConnectionService connections,
    ProfileService profiles,
    FlowService flows,
    Notifications.NotificationService notifications,
    Labels.LabelSyncService labels,
    IStoreTransactions transactions)
{
    public async Task<ApplyResult> ApplyAsync(DeclarativeConfig config, CancellationToken cancellationToken)
    {
        try
        {
            await CheckReferencesAsync(config, cancellationToken);
            var (changes, created) = await transactions.RunAsync(() => ApplyAllAsync(config, cancellationToken), cancellationToken);

            // New connections are kept whatever their test says (a server restarting must not stop the start); the outcome
            // is reported. The tests run after the commit, so no network wait holds the store's write lock.
            var warnings = new List<string>();
            foreach (var name in created)
            {
                var test = await connections.TestStoredAsync(name, cancellationToken);
                if (!test.Ok)
                {
                    warnings.Add($"connection {name} was saved but its test failed: {test.Reason}");
                }
            }

            return new ApplyResult(changes) { Warnings = warnings };
        }
        catch (ConfigFileException ex)
        {
            // Messages from the services may quote a value; one that came from the environment is shown as its variable's name.
            throw new ConfigFileException(ex.File, ex.Line, config.Hide(ex.Reason));
        }
    }

    /// <summary>Every connection a flow or an account link names is declared in the file or stored already.</summary>
    private async Task CheckReferencesAsync(DeclarativeConfig config, CancellationToken cancellationToken)
    {
        var declared = config.Connections.Select(c => c.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        async Task<bool> Known(string? idOrName) =>
            string.IsNullOrWhiteSpace(idOrName) || declared.Contains(idOrName) || idOrName.All(char.IsAsciiDigit)
            || await connectionStore.FindByNameAsync(idOrName, cancellationToken) is not null;

        foreach (var profile in config.Profiles)
        {
            foreach (var account in profile.Accounts.Where(a => !declared.Contains(a.Connection)))
            {
                if (!await Known(account.Connection))
                {
                    throw new ConfigFileException(config.File, account.Line, $"profile '{profile.Name}': 'connection' names no connection: '{account.Connection}'.");
                }
            }
        }

        foreach (var flow in config.Flows)
        {
            foreach (var (field, idOrName) in new[] { ("from", flow.Flow.From), ("to", flow.Flow.To) })
            {
                if (!await Known(idOrName))
                {
                    throw new ConfigFileException(config.File, flow.Line, $"flow '{flow.Flow.Name}': '{field}' names no connection: '{idOrName}'.");
                }
            }
        }
    }

    private async Task<(List<string> Changes, List<string> Created)> ApplyAllAsync(DeclarativeConfig config, CancellationToken cancellationToken)
    {
        var changes = new List<string>();
        var created = new List<string>();
        foreach (var declared in config.Connections)
        {
            await At(config.File, declared.Line, $"connection '{declared.Name}'", async () =>
            {
                var existing = await connectionStore.FindByNameAsync(declared.Name, cancellationToken);
                if (existing is null)
                {
                    await connections.CreateAsync(declared.Name, declared.Kind, declared.Settings, cancellationToken);
                    changes.Add($"connection {declared.Name} created");
                    created.Add(declared.Name);
                }
                else if (!existing.Kind.Equals(declared.Kind, StringComparison.OrdinalIgnoreCase))
                {
                    throw ValidationException.For("kind", $"'kind' is {declared.Kind} in the file but the stored connection is {existing.Kind}; remove it first to change its kind.");
                }
                else if (connections.KeepRenewed(existing, declared.Settings) is var settings && !connections.HasSettings(existing, settings))
                {
                    await connections.UpdateAsync(declared.Name, null, settings, cancellationToken);
                    changes.Add($"connection {declared.Name} updated");
                }
            });
        }

        foreach (var declared in config.Profiles)
        {
            await At(config.File, declared.Line, $"profile '{declared.Name}'", async () =>
            {
                var all = await profiles.ListAsync(cancellationToken);
                var existing = all.FirstOrDefault(p => p.Name.Equals(declared.Name, StringComparison.OrdinalIgnoreCase));
                if (existing is null)
                {
                    await profiles.CreateAsync(declared.Name, declared.DisplayName, cancellationToken);
                    changes.Add($"profile {declared.Name} created");
                }
                else if (declared.DisplayName is not null && declared.DisplayName != existing.DisplayName)
                {
                    await profiles.UpdateAsync(declared.Name, null, declared.DisplayName, cancellationToken);
                    changes.Add($"profile {declared.Name} updated");
                }
            });

            var links = await profiles.ListLinksAsync(declared.Name, cancellationToken);
            foreach (var account in declared.Accounts)
            {
                if (links.Any(l => l.ConnectionName.Equals(account.Connection, StringComparison.OrdinalIgnoreCase)
                    && (l.ExternalId.Equals(account.Account, StringComparison.Ordinal) || l.AccountName.Equals(account.Account, StringComparison.OrdinalIgnoreCase))))
                {
                    continue;
                }

                await At(config.File, account.Line, $"profile '{declared.Name}'", async () =>
                {
                    await profiles.LinkAsync(declared.Name, account.Connection, account.Account, cancellationToken, allowPending: true);
                    changes.Add($"profile {declared.Name} linked to {account.Connection}/{account.Account}");
                });
            }
        }

        foreach (var declared in config.Flows)
        {
            await At(config.File, declared.Line, $"flow '{declared.Flow.Name}'", async () =>
            {
                var all = await flows.ListAsync(cancellationToken);
                var existing = all.FirstOrDefault(f => f.Name.Equals(declared.Flow.Name, StringComparison.OrdinalIgnoreCase));
                if (existing is null)
                {
                    await flows.CreateAsync(declared.Flow, cancellationToken);
                    changes.Add($"flow {declared.Flow.Name} created");
                    return;
                }

                var updated = await flows.UpdateAsync(existing.Name, declared.Flow, cancellationToken);
                if (updated.UpdatedAt != existing.UpdatedAt)
                {
                    changes.Add($"flow {declared.Flow.Name} updated");
                }
            });
        }

        foreach (var declared in config.Notifications)
        {
            await At(config.File, declared.Line, $"notification channel '{declared.Channel.Name}'", async () =>
            {
                if (await notifications.ApplyAsync(declared.Channel, cancellationToken) is { } change)
                {
                    changes.Add($"notification channel {declared.Channel.Name} {change}");
                }
            });
        }

        // After the connections, so the label settings may name connections the same file declares.
        if (config.Labels is { } declaredLabels && await Labels.LabelDeclarations.ApplyAsync(config.File, declaredLabels, labels, cancellationToken) is { } labelChange)
        {
            changes.Add(labelChange);
        }

        return (changes, created);
    }

    private static async Task At(string file, int line, string what, Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (ValidationException ex)
        {
            throw new ConfigFileException(file, line, $"{what}: {ex.Message}");
        }
        catch (ConflictException ex)
        {
            throw new ConfigFileException(file, line, $"{what}: {ex.Message}");
        }
        catch (NotFoundException ex)
        {
            throw new ConfigFileException(file, line, $"{what}: {ex.Message}");
        }
    }
}

public sealed record ApplyResult(IReadOnlyList<string> Changes)
{
    /// <summary>Gets what was applied but needs attention, such as a new connection whose test failed.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
