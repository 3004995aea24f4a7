using System.Security.Cryptography;
using System.Text;

namespace Marquee.Hosting.Security;

/// <summary>A random secret kept in one owner-only file in the data folder (the API key, the webhook secret).</summary>
public static class SecretFile
{
    /// <summary>Gets the permissions of every secret file: read and write for the owner only (0600).</summary>
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Gets the permissions of the data folder: the owner only (0700).</summary>
    public const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Returns the secret stored in <paramref name="file"/> (at least 16 characters), else writes a new one there and returns it.</summary>
    /// <remarks>When the folder cannot be written, the new secret lasts until the process stops; start-up reports the folder.</remarks>
    public static string ReadOrCreate(string file)
    {
        if (Read(file) is { } stored)
        {
            return stored;
        }

        var secret = NewSecret();
        try
        {
            Write(file, secret);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Kept in memory only.
        }

        return secret;
    }

    /// <summary>Returns the secret stored in <paramref name="file"/>, or null when there is none (or it is too short to be one).</summary>
    public static string? Read(string file) =>
        File.Exists(file) && File.ReadAllText(file).Trim() is { Length: >= 16 } stored ? stored : null;

    /// <summary>Writes <paramref name="secret"/> to <paramref name="file"/> atomically, owner-only from the first byte.</summary>
    public static void Write(string file, string secret)
    {
        CreateFolder(Path.GetDirectoryName(Path.GetFullPath(file))!);
        var temp = file + ".tmp";
        if (OperatingSystem.IsWindows())
        {
            File.WriteAllText(temp, secret);
        }
        else
        {
            File.Delete(temp);
            using var stream = new FileStream(temp, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnly });
            stream.Write(Encoding.UTF8.GetBytes(secret));
        }

        File.Move(temp, file, overwrite: true);
    }

    /// <summary>Creates <paramref name="folder"/> (and its parents) owner-only (0700) on Unix; an existing folder is left as it is.</summary>
    public static void CreateFolder(string folder)
    {
        if (OperatingSystem.IsWindows() || Directory.Exists(folder))
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, OwnerOnlyFolder);
        }
    }

    /// <summary>Returns 32 random bytes, base64url without padding (43 characters).</summary>
    public static string NewSecret() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Returns the hash that <see cref="Matches"/> compares against.</summary>
    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    /// <summary>Compares in constant time: both sides are hashed first, so neither the content nor the length leaks.</summary>
    public static bool Matches(byte[] expectedHash, string? given)
    {
        var candidate = SHA256.HashData(Encoding.UTF8.GetBytes(given ?? string.Empty));
        return CryptographicOperations.FixedTimeEquals(candidate, expectedHash) && !string.IsNullOrEmpty(given);
    }
}
