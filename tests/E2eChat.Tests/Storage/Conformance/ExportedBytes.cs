using E2eChat.Crypto;

namespace E2eChat.Tests.Storage;

/// <summary>Test helper (not a test class): the bytes of an exported secret, through the public API only.</summary>
internal static class ExportedBytes
{
    /// <summary>Copies and disposes <paramref name="secret"/>.</summary>
    internal static byte[] Of(SecretBuffer secret)
    {
        using (secret)
        {
            return secret.Span.ToArray();
        }
    }
}
