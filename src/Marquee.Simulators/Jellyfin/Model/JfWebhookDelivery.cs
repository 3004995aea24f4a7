namespace Marquee.Simulators.Jellyfin.Model;

/// <summary>One webhook the simulator posted (or failed to post).</summary>
public sealed record JfWebhookDelivery(string Event, string Body, int? Status, string? Error);
