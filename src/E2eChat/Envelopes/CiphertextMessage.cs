using E2eChat.Wire;

namespace E2eChat;

/// <summary>
/// An encrypted protocol message ready for an envelope: its type and the protobuf encoding of the
/// matching wire message (<c>PreKeyMessage</c>, <c>RatchetMessage</c> or <c>SenderKeyMessage</c>).
/// Everything in it is either ciphertext or public by design (PROTOCOL.md section 8).
/// </summary>
public sealed class CiphertextMessage
{
    private readonly byte[] _body;

    /// <summary>Wraps an encoded message.</summary>
    /// <param name="type">Which wire message <paramref name="body"/> encodes.</param>
    /// <param name="body">The encoded wire message; copied.</param>
    public CiphertextMessage(EnvelopeType type, ReadOnlySpan<byte> body)
    {
        if (type is not (EnvelopeType.PreKey or EnvelopeType.Ratchet or EnvelopeType.SenderKey))
        {
            throw new ArgumentOutOfRangeException(nameof(type));
        }

        Type = type;
        _body = body.ToArray();
    }

    /// <summary>Wraps a freshly encoded message without copying it.</summary>
    /// <param name="type">Which wire message <paramref name="body"/> encodes (prekey, ratchet or sender key).</param>
    /// <param name="body">The encoded wire message; this instance now owns it and nothing else may change it.</param>
    private CiphertextMessage(byte[] body, EnvelopeType type)
    {
        Type = type;
        _body = body;
    }

    /// <summary>Wraps an encoded message this library just produced, taking ownership of the array (no copy).</summary>
    /// <param name="type">Which wire message <paramref name="body"/> encodes.</param>
    /// <param name="body">The encoded wire message; nothing else may keep or change it.</param>
    /// <returns>The message.</returns>
    internal static CiphertextMessage FromOwnedBody(EnvelopeType type, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (type is not (EnvelopeType.PreKey or EnvelopeType.Ratchet or EnvelopeType.SenderKey))
        {
            throw new ArgumentOutOfRangeException(nameof(type));
        }

        return new CiphertextMessage(body, type);
    }

    /// <summary>The message type.</summary>
    public EnvelopeType Type { get; }

    /// <summary>The encoded wire message.</summary>
    public ReadOnlyMemory<byte> Body => _body;

    /// <summary>Names the type and length only.</summary>
    /// <returns>A short description.</returns>
    public override string ToString() => $"{Type} message ({_body.Length} bytes)";
}
