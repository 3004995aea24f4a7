namespace Marquee.Providers.Http;

/// <summary>
/// The buffers the providers keep from one answer to the next: the arrays listing pages are joined into
/// (<see cref="BodyBuffer"/>), two of a page's size, a few megabytes on a large library. A server that has gone idle lets
/// go of them (Marquee.Web's IdleMemory), so what it holds after a full run is not a page or two of it.
/// </summary>
public static class ProviderBuffers
{
    /// <summary>Lets go of every kept buffer; the next answer makes its own. Gives how many bytes they held.</summary>
    public static long LetGo() => BodyBuffer.Joined.Clear();
}
