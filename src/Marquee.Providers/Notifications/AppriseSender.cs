using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Marquee.Core.Notifications;
using Marquee.Core.Outbox;

namespace Marquee.Providers.Notifications;

/// <summary>
/// Sends a message through the <c>apprise</c> command (Debian package <c>apprise</c>), which knows the long tail of
/// services (Telegram, Pushover, e-mail, Gotify, Slack…). The URL holds the service's token, so it goes in the
/// <c>APPRISE_URLS</c> environment variable of the child, never on its command line; nothing of it is logged.
/// </summary>
internal static class AppriseSender
{
    /// <summary>The command run; <c>Marquee:Notifications:AppriseCommand</c> names another.</summary>
    public const string DefaultCommand = "apprise";

    public static async Task<OutboxResult> SendAsync(string command, string url, NotificationPayload message, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--input-format=markdown");
        start.ArgumentList.Add("--notification-type=" + Type(message.Trigger));
        start.ArgumentList.Add("--title=" + message.Title);
        start.ArgumentList.Add("--body=" + Body(message));
        start.Environment["APPRISE_URLS"] = url;
        start.Environment.Remove("APPRISE_CONFIG");

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception("not started");
        }
        catch (Win32Exception)
        {
            return OutboxResult.Rejected($"the '{command}' command is not installed: install Apprise (the Debian package apprise: apt-get install apprise) to use apprise channels");
        }

        using (process)
        {
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wait.CancelAfter(timeout);
            try
            {
                await process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                return OutboxResult.Retry($"apprise did not finish within {timeout.TotalSeconds:0} s");
            }

            var said = Clip(Scrub((await error) + (await output), url));
            return process.ExitCode switch
            {
                0 => OutboxResult.Delivered(200),

                // 1: the service refused or could not be reached (Apprise logs why); worth another try later.
                1 => OutboxResult.Retry($"apprise could not deliver: {said}"),
                _ => OutboxResult.Rejected($"apprise refused the message (exit {process.ExitCode}): {said}"),
            };
        }
    }

    private static string Body(NotificationPayload message)
    {
        var body = new StringBuilder(message.Body);
        foreach (var field in message.Fields)
        {
            body.Append('\n').Append("**").Append(field.Name).Append("**: ").Append(field.Value);
        }

        if (message.Url is { Length: > 0 } link)
        {
            body.Append("\n\n").Append(link);
        }

        return body.ToString();
    }

    private static string Type(string trigger) => NotificationTriggers.Styles.TryGetValue(trigger, out var style) && style.Priority >= 4 ? "failure" : "info";

    private static string Scrub(string text, string url) => text.Replace(url, "(the channel's URL)", StringComparison.Ordinal);

    private static string Clip(string text)
    {
        text = text.Trim().ReplaceLineEndings(" ");
        return text.Length <= 400 ? text : text[..400];
    }
}
