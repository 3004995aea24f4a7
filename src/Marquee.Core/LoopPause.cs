namespace Marquee.Core;

/// <summary>What a background loop does after an iteration failed (the store unavailable, something unexpected): pause, then go on.</summary>
public static class LoopPause
{
    /// <summary>Waits a second; returns false when the service is stopping instead.</summary>
    public static async Task<bool> AfterFailureAsync(TimeProvider clock, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(1), clock, stoppingToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
