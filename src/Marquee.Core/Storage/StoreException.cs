namespace Marquee.Core.Storage;

/// <summary>The store cannot be used (folder not writable, file locked, corrupt); the message is meant for the user as is.</summary>
public sealed class StoreException(string message, Exception? inner = null) : Exception(message, inner);
