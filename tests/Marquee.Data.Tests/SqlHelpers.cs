using Dapper;

namespace Marquee.Data.Tests;

/// <summary>Plain SQL against a provider, for arranging rows and checking what the stores wrote.</summary>
internal static class SqlHelpers
{
    public static async Task<T> ScalarAsync<T>(this IDatabaseProvider provider, string sql, object? parameters = null)
    {
        await using var connection = await provider.OpenAsync(CancellationToken.None);
        return (await connection.ExecuteScalarAsync<T>(sql, parameters))!;
    }

    public static async Task<int> ExecuteAsync(this IDatabaseProvider provider, string sql, object? parameters = null)
    {
        await using var connection = await provider.OpenAsync(CancellationToken.None);
        return await connection.ExecuteAsync(sql, parameters);
    }

    public static async Task<List<T>> QueryAsync<T>(this IDatabaseProvider provider, string sql, object? parameters = null)
    {
        await using var connection = await provider.OpenAsync(CancellationToken.None);
        return (await connection.QueryAsync<T>(sql, parameters)).ToList();
    }
}
