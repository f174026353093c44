namespace E2eChat.Tests.Ratchet;

/// <summary>Test helper: the ratchet KDFs of PROTOCOL.md section 5.2 written with .NET's own HKDF and HMAC, as an independent reference.</summary>
internal static class KdfTestVectors
{
    internal static (byte[] RootKey, byte[] ChainKey, byte[] HeaderKey) RootStep(byte[] rootKey, byte[] dh)
    {
        byte[] okm = System.Security.Cryptography.HKDF.DeriveKey(System.Security.Cryptography.HashAlgorithmName.SHA256, dh, 96, rootKey, "E2eChat/v1/ratchet/root"u8.ToArray());
        return (okm[..32], okm[32..64], okm[64..]);
    }

    internal static (byte[] MessageKey, byte[] NextChainKey) ChainStep(byte[] chainKey) =>
        (System.Security.Cryptography.HMACSHA256.HashData(chainKey, new byte[] { 0x01 }), System.Security.Cryptography.HMACSHA256.HashData(chainKey, new byte[] { 0x02 }));

    internal static (byte[] Key, byte[] Nonce) MessageKeys(byte[] messageKey)
    {
        byte[] okm = System.Security.Cryptography.HKDF.DeriveKey(System.Security.Cryptography.HashAlgorithmName.SHA256, messageKey, 44, new byte[32], "E2eChat/v1/ratchet/message"u8.ToArray());
        return (okm[..32], okm[32..]);
    }
}
