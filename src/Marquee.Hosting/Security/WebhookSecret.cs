using Marquee.Core.Webhooks;
using Microsoft.Extensions.Options;

namespace Marquee.Hosting.Security;

/// <summary>
/// The secret in the webhook URL: Marquee:Webhooks:Secret, else the one kept in the data folder, else a new random
/// one written there on first use. Compared in constant time.
/// </summary>
public sealed class WebhookSecret
{
    public const string FileName = "webhook-secret";

    private readonly Lazy<byte[]> _hash;
    private readonly Lazy<string> _value;

    public WebhookSecret(IOptions<WebhookOptions> options, MarqueeOptions marquee)
    {
        _value = new Lazy<string>(() => Resolve(options.Value.Secret, marquee.DataFolder), LazyThreadSafetyMode.ExecutionAndPublication);
        _hash = new Lazy<byte[]>(() => SecretFile.Hash(_value.Value), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Gets the secret. Only for the URL shown to the user; never log it.</summary>
    public string Value => _value.Value;

    /// <summary>Compares in constant time: both sides are hashed first, so neither the content nor the length leaks.</summary>
    public bool Matches(string? given) => SecretFile.Matches(_hash.Value, given);

    /// <summary>
    /// The webhook URL for a sender (a <see cref="WebhookSender.Kind"/>: <c>plex</c>, <c>jellyfin</c> for the Webhook plugin, <c>emby</c>) with
    /// <paramref name="secret"/> in it, or a mask in its place for output that is kept (logs).
    /// </summary>
    public static string Url(string address, string secret, string kind) => $"{address.TrimEnd('/')}/webhooks/{kind}/{secret}";

    private static string Resolve(string? configured, string dataFolder) =>
        !string.IsNullOrWhiteSpace(configured) ? configured.Trim() : SecretFile.ReadOrCreate(Path.Combine(Path.GetFullPath(dataFolder), FileName));
}
