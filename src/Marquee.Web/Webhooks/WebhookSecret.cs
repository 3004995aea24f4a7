using System.Security.Cryptography;
using System.Text;
using Marquee.Core.Webhooks;
using Marquee.Web.Hosting;
using Microsoft.Extensions.Options;

namespace Marquee.Web.Webhooks;

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
        _hash = new Lazy<byte[]>(() => SHA256.HashData(Encoding.UTF8.GetBytes(_value.Value)), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Gets the secret. Only for the URL shown to the user; never log it.</summary>
    public string Value => _value.Value;

    /// <summary>Compares in constant time: both sides are hashed first, so neither the content nor the length leaks.</summary>
    public bool Matches(string? given)
    {
        var candidate = SHA256.HashData(Encoding.UTF8.GetBytes(given ?? string.Empty));
        return CryptographicOperations.FixedTimeEquals(candidate, _hash.Value) && !string.IsNullOrEmpty(given);
    }

    private static string Resolve(string? configured, string dataFolder)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured.Trim();
        }

        var folder = Path.GetFullPath(dataFolder);
        var file = Path.Combine(folder, FileName);
        if (File.Exists(file) && File.ReadAllText(file).Trim() is { Length: >= 16 } stored)
        {
            return stored;
        }

        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        try
        {
            Directory.CreateDirectory(folder);
            var temp = file + ".tmp";
            File.WriteAllText(temp, secret);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            File.Move(temp, file, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The data folder is not writable: start-up reports that; this secret lasts until the process stops.
        }

        return secret;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
