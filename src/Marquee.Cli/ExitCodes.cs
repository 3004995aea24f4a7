namespace Marquee.Cli;

public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int Usage = 2;

    /// <summary>A run was held by a guard and waits for --force.</summary>
    public const int Held = 3;
}
