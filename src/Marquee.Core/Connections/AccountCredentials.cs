using System.Text.Json;
using System.Text.Json.Serialization;
using Marquee.Core.Storage;

namespace Marquee.Core.Connections;

/// <summary>What Marquee keeps per account to act for it: tokens obtained from the provider and a Home PIN the user gave.</summary>
public sealed record AccountCredential
{
    /// <summary>Gets the token the media server accepts for this account.</summary>
    public string? ServerToken { get; init; }

    /// <summary>Gets the account-level token (plex.tv) used for online features such as the watchlist.</summary>
    public string? AccountToken { get; init; }

    /// <summary>Gets the PIN needed to switch to a protected Plex Home user.</summary>
    public string? Pin { get; init; }
}

/// <summary>Reads and writes <see cref="AccountCredential"/>s through the store, encrypted with <see cref="ISecretProtector"/>.</summary>
public sealed class AccountCredentials(IConnectionStore store, ISecretProtector secrets)
{
    public async Task<AccountCredential?> GetAsync(long connectionId, string externalId, CancellationToken cancellationToken)
    {
        var stored = await store.GetAccountTokenAsync(connectionId, externalId, cancellationToken);
        if (stored is null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(secrets.Unprotect(stored.ProtectedToken), CredentialJson.Default.AccountCredential);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Stores the credential; returns false when the account is not in the store yet.</summary>
    public Task<bool> SetAsync(long connectionId, string externalId, AccountCredential credential, DateTimeOffset now, CancellationToken cancellationToken) =>
        store.SetAccountTokenAsync(connectionId, externalId, secrets.Protect(JsonSerializer.Serialize(credential, CredentialJson.Default.AccountCredential)), now, cancellationToken);

    public Task<bool> SetStatusAsync(long connectionId, string externalId, string status, string? reason, CancellationToken cancellationToken) =>
        store.SetAccountStatusAsync(connectionId, externalId, status, reason, cancellationToken);
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(AccountCredential))]
internal sealed partial class CredentialJson : JsonSerializerContext;
