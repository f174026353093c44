using System.Numerics;
using E2eChat.Ratchet;
using Key = NSec.Cryptography.Key;

namespace E2eChat.Cli.Vectors;

/// <summary>
/// Hand-made sender-key messages for the negative vectors of <c>sender_keys.json</c>: the fields of a
/// real post, changed and signed again with the generation's seed (so the failure comes from the
/// changed value, not the signature), payloads encrypted under the right key but badly padded, and
/// signatures that strict verification refuses.
/// </summary>
internal static class SenderKeyForge
{
    private const int HeaderLength = SenderKeyMessageFields.HeaderLength;

    /// <summary>The order L of the Ed25519 base point.</summary>
    private static readonly BigInteger s_groupOrder = BigInteger.Parse("7237005577332262213973186563042994240857116359379907606001950938285454250989", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The fields of a canonical <c>SenderKeyMessage</c>.</summary>
    internal sealed record Fields(byte[] DistributionId, uint ChainId, uint Iteration, ulong ExpiresAtMilliseconds, byte[] Ciphertext, byte[] Signature)
    {
        /// <summary>The canonical encoding of these values (the signature as it is, valid or not).</summary>
        internal byte[] Encode()
        {
            byte[] output = new byte[SenderKeyMessageFields.GetEncodedLength(ChainId, Iteration, ExpiresAtMilliseconds, Ciphertext.Length)];
            Span<byte> signature = SenderKeyMessageFields.Write(DistributionId, ChainId, Iteration, ExpiresAtMilliseconds, output, Ciphertext.Length, out Span<byte> ciphertext);
            Ciphertext.CopyTo(ciphertext);
            Signature.CopyTo(signature);
            return output;
        }

        /// <summary>These values signed with <paramref name="signingSeed"/>, canonically encoded.</summary>
        internal byte[] SignAndEncode(ReadOnlySpan<byte> signingSeed) => (this with { Signature = Sign(this, signingSeed) }).Encode();

        /// <summary>The raw protobuf of these values, every field written as given (zeros included).</summary>
        internal byte[] EncodeRaw(ulong? iteration, ulong? expiresAtMilliseconds) =>
            ProtoBytes.SenderKeyBody(DistributionId, ChainId, iteration, expiresAtMilliseconds, Ciphertext, Signature);
    }

    /// <summary>Parses a canonical message the implementation made.</summary>
    internal static Fields Parse(ReadOnlySpan<byte> message)
    {
        if (!SenderKeyMessageFields.TryParse(message, out SenderKeyMessageFields fields))
        {
            throw new InvalidOperationException("Not a canonical SenderKeyMessage.");
        }

        return new Fields(fields.DistributionId.ToArray(), fields.ChainId, fields.Iteration, fields.ExpiresAtMilliseconds, fields.Ciphertext.ToArray(), fields.Signature.ToArray());
    }

    /// <summary>The section 7 signature over the header and ciphertext of <paramref name="fields"/>.</summary>
    internal static byte[] Sign(Fields fields, ReadOnlySpan<byte> signingSeed)
    {
        ArgumentNullException.ThrowIfNull(fields);
        byte[] signed = new byte[HeaderLength + fields.Ciphertext.Length];
        SenderKeyMessageFields.WriteHeader(fields.DistributionId, fields.ChainId, fields.Iteration, fields.ExpiresAtMilliseconds, signed);
        fields.Ciphertext.CopyTo(signed, HeaderLength);
        byte[] signature = new byte[Ed25519.SignatureLength];
        using Key key = Ed25519.ImportSeed(signingSeed);
        Ed25519.Sign(key, ProtocolLabels.SenderKeyMessage, signed, signature);
        return signature;
    }

    /// <summary>The message key (MK) of <paramref name="iteration"/> in the chain whose key at <paramref name="start"/> is <paramref name="chainKey"/>.</summary>
    internal static byte[] MessageKey(ReadOnlySpan<byte> chainKey, uint start, uint iteration)
    {
        byte[] current = chainKey.ToArray();
        byte[] messageKey = new byte[ChainKdf.KeyLength];
        for (uint i = start; i <= iteration; i++)
        {
            ChainKdf.Advance(current, messageKey, current);
        }

        return messageKey;
    }

    /// <summary>
    /// A payload that authenticates under the key of <paramref name="fields"/>' iteration but whose
    /// plaintext is <paramref name="padded"/> as given (section 7: the header is the associated data).
    /// </summary>
    internal static byte[] EncryptPadded(Fields fields, ReadOnlySpan<byte> messageKey, ReadOnlySpan<byte> padded)
    {
        ArgumentNullException.ThrowIfNull(fields);
        byte[] header = new byte[HeaderLength];
        SenderKeyMessageFields.WriteHeader(fields.DistributionId, fields.ChainId, fields.Iteration, fields.ExpiresAtMilliseconds, header);
        byte[] keys = new byte[MessageKeys.Length];
        MessageKeys.ExpandWithLabel(messageKey, ProtocolLabels.SenderKeyMessageKey, keys);
        byte[] ciphertext = new byte[padded.Length + Aead.TagLength];
        Aead.Encrypt(AeadAlgorithm.ChaCha20Poly1305, MessageKeys.Key(keys), MessageKeys.Nonce(keys), padded, header, ciphertext);
        return ciphertext;
    }

    /// <summary>The same signature with S replaced by S + L: the same point equation, but S is not reduced, which strict verification refuses.</summary>
    internal static byte[] UnreducedS(ReadOnlySpan<byte> signature)
    {
        var s = new BigInteger(signature[32..], isUnsigned: true, isBigEndian: false);
        BigInteger unreduced = s + s_groupOrder;
        byte[] result = signature.ToArray();
        byte[] bytes = unreduced.ToByteArray(isUnsigned: true, isBigEndian: false);
        if (bytes.Length > 32)
        {
            throw new InvalidOperationException("S + L does not fit in 32 bytes.");
        }

        Array.Clear(result, 32, 32);
        bytes.CopyTo(result, 32);
        return result;
    }

    /// <summary>The canonical <c>SenderKeyDistribution</c> of the given values.</summary>
    internal static byte[] Distribution(ReadOnlySpan<byte> distributionId, uint chainId, uint iteration, ReadOnlySpan<byte> chainKey, ReadOnlySpan<byte> signingKey)
    {
        byte[] output = new byte[SenderKeyDistributionFields.GetEncodedLength(chainId, iteration)];
        SenderKeyDistributionFields.Write(distributionId, chainId, iteration, chainKey, signingKey, output);
        return output;
    }
}
