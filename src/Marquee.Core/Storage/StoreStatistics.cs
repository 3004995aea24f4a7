namespace Marquee.Core.Storage;

/// <summary>Row counts per table and the size of the store, for /metrics.</summary>
public sealed record StoreStatistics(IReadOnlyDictionary<string, long> Rows, long? SizeBytes, int SchemaVersion);
