namespace E2eChat.Ratchet;

/// <summary>The two parts of an encrypted Double Ratchet message, as carried by <c>RatchetMessage</c>.</summary>
internal readonly struct EncryptedRatchetMessage
{
    /// <summary>Wraps the two parts.</summary>
    /// <param name="header">The 80-byte encrypted header.</param>
    /// <param name="ciphertext">The payload ciphertext (padding bucket + 16 bytes).</param>
    internal EncryptedRatchetMessage(byte[] header, byte[] ciphertext)
    {
        Header = header;
        Ciphertext = ciphertext;
    }

    /// <summary>The 80-byte encrypted header.</summary>
    internal byte[] Header { get; }

    /// <summary>The payload ciphertext: a padding bucket plus the 16-byte tag.</summary>
    internal byte[] Ciphertext { get; }
}
