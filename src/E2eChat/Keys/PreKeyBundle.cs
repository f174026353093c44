using System.Diagnostics.CodeAnalysis;
using E2eChat.Crypto;
using Google.Protobuf;

namespace E2eChat;

/// <summary>
/// A verified pre-key bundle (PROTOCOL.md section 3.4): what an initiator needs to start a session
/// without a round trip. Immutable. Received bundles come only from <see cref="TryParse"/>, which runs
/// every check of section 3.4, so an instance is always valid.
/// </summary>
public sealed class PreKeyBundle
{
    /// <summary>A parser that keeps no unknown field, so that an unknown field cannot survive re-encoding.</summary>
    private static readonly MessageParser<Wire.Proto.PreKeyBundle> s_canonicalParser = Wire.Proto.PreKeyBundle.Parser.WithDiscardUnknownFields(true);

    private readonly byte[] _signedPreKey;
    private readonly byte[] _signedPreKeySignature;
    private readonly byte[] _oneTimePreKey;
    private readonly byte[] _kemPreKey;
    private readonly byte[] _kemPreKeySignature;

    private PreKeyBundle(
        IdentityKey identityKey,
        uint signedPreKeyId,
        byte[] signedPreKey,
        byte[] signedPreKeySignature,
        uint oneTimePreKeyId,
        byte[] oneTimePreKey,
        uint kemPreKeyId,
        KemPreKeyKind kemPreKeyKind,
        byte[] kemPreKey,
        byte[] kemPreKeySignature)
    {
        IdentityKey = identityKey;
        SignedPreKeyId = signedPreKeyId;
        _signedPreKey = signedPreKey;
        _signedPreKeySignature = signedPreKeySignature;
        OneTimePreKeyId = oneTimePreKeyId;
        _oneTimePreKey = oneTimePreKey;
        KemPreKeyId = kemPreKeyId;
        KemPreKeyKind = kemPreKeyKind;
        _kemPreKey = kemPreKey;
        _kemPreKeySignature = kemPreKeySignature;
    }

    /// <summary>The owner's public identity.</summary>
    public IdentityKey IdentityKey { get; }

    /// <summary>The id of the signed pre-key (nonzero).</summary>
    public uint SignedPreKeyId { get; }

    /// <summary>The 32-byte signed X25519 pre-key.</summary>
    public ReadOnlySpan<byte> SignedPreKeyPublicKey => _signedPreKey;

    /// <summary>The 64-byte signature of the signed pre-key.</summary>
    public ReadOnlySpan<byte> SignedPreKeySignature => _signedPreKeySignature;

    /// <summary>The id of the one-time X25519 pre-key, or 0 when the bundle has none.</summary>
    public uint OneTimePreKeyId { get; }

    /// <summary>Whether the bundle carries a one-time X25519 pre-key.</summary>
    public bool HasOneTimePreKey => OneTimePreKeyId != 0;

    /// <summary>The 32-byte one-time X25519 pre-key, or empty when the bundle has none.</summary>
    public ReadOnlySpan<byte> OneTimePreKeyPublicKey => _oneTimePreKey;

    /// <summary>The id of the ML-KEM-768 pre-key (nonzero).</summary>
    public uint KemPreKeyId { get; }

    /// <summary>Whether the ML-KEM-768 pre-key is last-resort or one-time.</summary>
    public KemPreKeyKind KemPreKeyKind { get; }

    /// <summary>The 1184-byte ML-KEM-768 encapsulation key.</summary>
    public ReadOnlySpan<byte> KemPreKeyPublicKey => _kemPreKey;

    /// <summary>The 64-byte signature of the ML-KEM-768 pre-key.</summary>
    public ReadOnlySpan<byte> KemPreKeySignature => _kemPreKeySignature;

    /// <summary>
    /// Assembles a bundle from our own pre-keys for publishing. The signatures are checked against
    /// <paramref name="identity"/>, so a bundle that peers would refuse is never built.
    /// </summary>
    /// <param name="identity">Our public identity.</param>
    /// <param name="signedPreKey">The current signed pre-key.</param>
    /// <param name="oneTimePreKey">A one-time pre-key, or <see langword="null"/> when none is left.</param>
    /// <param name="kemPreKey">A one-time KEM pre-key, or the last-resort one.</param>
    /// <returns>The bundle.</returns>
    /// <exception cref="ArgumentException">A signature does not verify under <paramref name="identity"/>.</exception>
    public static PreKeyBundle Create(IdentityKey identity, SignedPreKey signedPreKey, OneTimePreKey? oneTimePreKey, KemPreKey kemPreKey)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(signedPreKey);
        ArgumentNullException.ThrowIfNull(kemPreKey);
        if (!E2eChat.SignedPreKey.VerifySignature(identity, signedPreKey.Id, signedPreKey.PublicKey, signedPreKey.Signature))
        {
            throw new ArgumentException("The signed pre-key was not signed by this identity.", nameof(signedPreKey));
        }

        if (!KemPreKey.VerifySignature(identity, kemPreKey.Id, kemPreKey.Kind, kemPreKey.PublicKey, kemPreKey.Signature))
        {
            throw new ArgumentException("The KEM pre-key was not signed by this identity.", nameof(kemPreKey));
        }

        return new PreKeyBundle(
            identity,
            signedPreKey.Id,
            signedPreKey.PublicKey.ToArray(),
            signedPreKey.Signature.ToArray(),
            oneTimePreKey?.Id ?? 0,
            oneTimePreKey is null ? [] : oneTimePreKey.PublicKey.ToArray(),
            kemPreKey.Id,
            kemPreKey.Kind,
            kemPreKey.PublicKey.ToArray(),
            kemPreKey.Signature.ToArray());
    }

    /// <summary>
    /// Parses and verifies a bundle fetched from a key directory, in the order of PROTOCOL.md section
    /// 3.4, reporting the first failing check. Never throws for hostile input, and touches no store.
    /// </summary>
    /// <param name="bytes">The protobuf <c>PreKeyBundle</c> as received.</param>
    /// <param name="bundle">The verified bundle on success.</param>
    /// <param name="failure">The first failing check, or <see cref="E2eChatFailure.None"/>.</param>
    /// <returns><see langword="true"/> when the bundle is valid.</returns>
    public static bool TryParse(ReadOnlySpan<byte> bytes, [NotNullWhen(true)] out PreKeyBundle? bundle, out E2eChatFailure failure)
    {
        bundle = null;
        if (!TryReadCanonical(bytes, out Wire.Proto.PreKeyBundle? message))
        {
            failure = E2eChatFailure.Malformed;
            return false;
        }

        return TryFromMessage(message, out bundle, out failure);
    }

    /// <summary>
    /// Step 1 of section 3.4: the bytes are the canonical encoding of section 8 (each field at most once,
    /// in ascending order, with its declared wire type, minimal varints, <c>uint32</c> values below
    /// 2^32, no default value written, a written bool is 1, no unknown field). <c>PreKeyBundle</c> has
    /// only scalar and bytes fields, so that is exactly: a general proto3 parse that keeps no unknown
    /// field re-encodes to the same bytes.
    /// </summary>
    private static bool TryReadCanonical(ReadOnlySpan<byte> bytes, [NotNullWhen(true)] out Wire.Proto.PreKeyBundle? message)
    {
        message = null;
        Wire.Proto.PreKeyBundle parsed;
        try
        {
            parsed = s_canonicalParser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException)
        {
            return false;
        }

        if (parsed.CalculateSize() != bytes.Length || !bytes.SequenceEqual(parsed.ToByteArray()))
        {
            return false;
        }

        message = parsed;
        return true;
    }

    /// <summary>Parses and verifies a bundle, throwing on invalid input.</summary>
    /// <param name="bytes">The protobuf <c>PreKeyBundle</c> as received.</param>
    /// <returns>The verified bundle.</returns>
    /// <exception cref="E2eChatException">The bundle is invalid; <see cref="E2eChatException.Failure"/> is a <see cref="E2eChatFailure"/>.</exception>
    public static PreKeyBundle Parse(ReadOnlySpan<byte> bytes) =>
        TryParse(bytes, out PreKeyBundle? bundle, out E2eChatFailure failure) ? bundle : throw new E2eChatException(failure);

    /// <summary>Steps 2 to 8 of section 3.4 on an already parsed message.</summary>
    internal static bool TryFromMessage(Wire.Proto.PreKeyBundle message, [NotNullWhen(true)] out PreKeyBundle? bundle, out E2eChatFailure failure)
    {
        ArgumentNullException.ThrowIfNull(message);
        bundle = null;
        failure = Verify(message, out IdentityKey? identity, out KemPreKeyKind kind);
        if (failure != E2eChatFailure.None)
        {
            return false;
        }

        bundle = new PreKeyBundle(
            identity!,
            message.SignedPrekeyId,
            message.SignedPrekey.ToByteArray(),
            message.SignedPrekeySignature.ToByteArray(),
            message.OneTimePrekeyId,
            message.OneTimePrekey.ToByteArray(),
            message.KemPrekeyId,
            kind,
            message.KemPrekey.ToByteArray(),
            message.KemPrekeySignature.ToByteArray());
        return true;
    }

    /// <summary>The protobuf <c>PreKeyBundle</c> to publish.</summary>
    /// <returns>The serialized bundle.</returns>
    public byte[] ToBytes() => ToMessage().ToByteArray();

    /// <summary>The protobuf form.</summary>
    internal Wire.Proto.PreKeyBundle ToMessage() => new()
    {
        IdentityKey = ByteString.CopyFrom(IdentityKey.AsSpan()),
        SignedPrekeyId = SignedPreKeyId,
        SignedPrekey = ByteString.CopyFrom(_signedPreKey),
        SignedPrekeySignature = ByteString.CopyFrom(_signedPreKeySignature),
        OneTimePrekeyId = OneTimePreKeyId,
        OneTimePrekey = ByteString.CopyFrom(_oneTimePreKey),
        KemPrekeyId = KemPreKeyId,
        KemPrekeyLastResort = KemPreKeyKind == KemPreKeyKind.LastResort,
        KemPrekey = ByteString.CopyFrom(_kemPreKey),
        KemPrekeySignature = ByteString.CopyFrom(_kemPreKeySignature),
    };

    /// <summary>Names the owner and ids only.</summary>
    /// <returns>A description (public data only).</returns>
    public override string ToString() =>
        $"PreKeyBundle({IdentityKey}, signed {SignedPreKeyId}, one-time {OneTimePreKeyId}, KEM {KemPreKeyId} {KemPreKeyKind})";

    private static E2eChatFailure Verify(Wire.Proto.PreKeyBundle message, out IdentityKey? identity, out KemPreKeyKind kind)
    {
        kind = message.KemPrekeyLastResort ? KemPreKeyKind.LastResort : KemPreKeyKind.OneTime;
        if (!IdentityKey.TryParse(message.IdentityKey.Span, out identity, out _))
        {
            return E2eChatFailure.InvalidIdentityKey;
        }

        if (message.SignedPrekeyId == 0 || message.KemPrekeyId == 0)
        {
            return E2eChatFailure.InvalidKeyId;
        }

        ReadOnlySpan<byte> signedPreKey = message.SignedPrekey.Span;
        if (X25519.ValidatePublicKey(signedPreKey) != KeyAgreementFailure.None)
        {
            return E2eChatFailure.InvalidSignedPreKey;
        }

        if (!SignedPreKey.VerifySignature(identity, message.SignedPrekeyId, signedPreKey, message.SignedPrekeySignature.Span))
        {
            return E2eChatFailure.BadSignedPreKeySignature;
        }

        bool oneTimeValid = message.OneTimePrekeyId != 0
            ? X25519.ValidatePublicKey(message.OneTimePrekey.Span) == KeyAgreementFailure.None
            : message.OneTimePrekey.IsEmpty;
        if (!oneTimeValid)
        {
            return E2eChatFailure.InvalidOneTimePreKey;
        }

        if (!MlKem768.IsValidPublicKey(message.KemPrekey.Span))
        {
            return E2eChatFailure.InvalidKemPreKey;
        }

        if (!KemPreKey.VerifySignature(identity, message.KemPrekeyId, kind, message.KemPrekey.Span, message.KemPrekeySignature.Span))
        {
            return E2eChatFailure.BadKemPreKeySignature;
        }

        return E2eChatFailure.None;
    }
}
