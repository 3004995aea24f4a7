namespace Marquee.Core.Storage;

/// <summary>Encrypts secrets before they reach the store and decrypts them for providers.</summary>
public interface ISecretProtector
{
    string Protect(string plaintext);

    string Unprotect(string protectedText);
}
