using Marquee.Core.Providers;

namespace Marquee.Providers.Jellyfin;

/// <summary>Jellyfin: the shared API plus resume points and 0–10 ratings (<c>POST /UserItems/{itemId}/UserData</c>).</summary>
public sealed class JellyfinProvider(JellyfinClient client, int pageSize, TimeSpan testTimeout, TimeProvider time)
    : JellyfinApiProvider(client, pageSize, testTimeout, time), IProgressSink, IRatingSink;

/// <summary>Emby 4.x: the shared API only; it describes no write for resume points or numeric ratings.</summary>
public sealed class EmbyProvider(JellyfinClient client, int pageSize, TimeSpan testTimeout, TimeProvider time)
    : JellyfinApiProvider(client, pageSize, testTimeout, time);
