using System.Security.Cryptography;
using Marquee.Core.Storage;
using Microsoft.AspNetCore.DataProtection;

namespace Marquee.Hosting;

/// <summary>Encrypts secrets with ASP.NET Data Protection, keys kept in the data folder.</summary>
public sealed class DataProtectionSecretProtector(IDataProtectionProvider provider) : ISecretProtector
{
    private readonly IDataProtector _protector = provider.CreateProtector("Marquee.Secrets.v1");

    public string Protect(string plaintext) => _protector.Protect(plaintext);

    public string Unprotect(string protectedText)
    {
        try
        {
            return _protector.Unprotect(protectedText);
        }
        catch (CryptographicException ex)
        {
            throw new StoreException("A stored secret cannot be decrypted: the keys in the data folder's 'keys' directory are missing or were replaced. Re-enter the connection's secrets.", ex);
        }
    }
}
