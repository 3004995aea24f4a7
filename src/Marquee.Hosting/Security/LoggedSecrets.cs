namespace Marquee.Hosting.Security;

/// <summary>The values kept out of logs: read when a line is written, so a rotated API key is masked too.</summary>
internal sealed class LoggedSecrets(WebhookSecret webhook, ApiKey apiKey)
{
    public string[] Value => [webhook.Value, apiKey.Value];
}
