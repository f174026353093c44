namespace E2eChat.Wire;

/// <summary>
/// A valid <c>RatchetMessage</c> as <see cref="WireRatchetMessage"/> reads it: where its two fields
/// are in the buffer read (so reading allocates nothing).
/// </summary>
internal readonly struct RatchetMessageView
{
    /// <summary>Creates a view.</summary>
    /// <param name="header">Where the 80-byte encrypted header is.</param>
    /// <param name="ciphertext">Where the ciphertext is.</param>
    internal RatchetMessageView(Range header, Range ciphertext)
    {
        Header = header;
        Ciphertext = ciphertext;
    }

    /// <summary>Where the 80-byte encrypted header is.</summary>
    internal Range Header { get; }

    /// <summary>Where the ciphertext (a padding bucket plus the 16-byte tag) is.</summary>
    internal Range Ciphertext { get; }
}
