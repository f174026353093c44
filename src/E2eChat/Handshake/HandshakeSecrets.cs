using System.Security.Cryptography;
using E2eChat.Crypto;

namespace E2eChat.Handshake;

/// <summary>
/// What a handshake derives (PROTOCOL.md section 4, step 5), the same on both sides: the first root
/// key, the two first header keys, the session binding and the associated data of every message.
/// Every part is a secret in its own buffer, wiped on <see cref="Dispose"/>.
/// </summary>
internal sealed class HandshakeSecrets : IDisposable
{
    /// <summary>The length of <c>OKM</c>: four 32-byte secrets.</summary>
    internal const int OutputLength = 4 * KeyLength;

    /// <summary>The length of <c>AD = IK_A || IK_B || SID</c>.</summary>
    internal const int AssociatedDataLength = (2 * IdentityKey.Length) + KeyLength;

    /// <summary>The length of each derived key.</summary>
    internal const int KeyLength = 32;

    private HandshakeSecrets(ReadOnlySpan<byte> okm, IdentityKey initiator, IdentityKey responder)
    {
        RootKey = new SecretBuffer(okm[..KeyLength]);
        InitiatorHeaderKey = new SecretBuffer(okm.Slice(KeyLength, KeyLength));
        ResponderNextHeaderKey = new SecretBuffer(okm.Slice(2 * KeyLength, KeyLength));
        SessionBinding = new SecretBuffer(okm.Slice(3 * KeyLength, KeyLength));
        AssociatedData = new SecretBuffer(AssociatedDataLength);
        Span<byte> ad = AssociatedData.WritableSpan;
        initiator.AsSpan().CopyTo(ad);
        responder.AsSpan().CopyTo(ad[IdentityKey.Length..]);
        SessionBinding.Span.CopyTo(ad[(2 * IdentityKey.Length)..]);
    }

    /// <summary><c>RK0</c>: the first root key.</summary>
    internal SecretBuffer RootKey { get; }

    /// <summary><c>HKA</c>: the initiator's first sending header key (the responder's first next-receiving header key).</summary>
    internal SecretBuffer InitiatorHeaderKey { get; }

    /// <summary><c>NHKB</c>: the responder's first next-sending header key (the initiator's first next-receiving header key).</summary>
    internal SecretBuffer ResponderNextHeaderKey { get; }

    /// <summary><c>SID</c>: the session binding, part of the associated data and never sent.</summary>
    internal SecretBuffer SessionBinding { get; }

    /// <summary><c>AD = IK_A (128) || IK_B (128) || SID (32)</c>: 288 bytes.</summary>
    internal SecretBuffer AssociatedData { get; }

    /// <summary>The longest HKDF info: the label and two addresses.</summary>
    internal static int MaxInfoLength => ProtocolLabels.Handshake.Length + (2 * ProtocolAddress.MaxBindingLength);

    /// <summary>
    /// <c>OKM = HKDF(salt = zeros(32), IKM, info, 128)</c> with
    /// <c>info = "E2eChat/v1/pqxdh/X25519/ML-KEM-768/SHA-256" || Addr(initiator) || Addr(responder)</c>
    /// (PROTOCOL.md section 4 step 5), split into the four secrets; OKM is wiped. Binding both
    /// addresses here makes every key of the session depend on who the two parties are by address, so a
    /// first message shown under another sender or recipient address derives other keys and fails to
    /// decrypt before anything is stored.
    /// </summary>
    internal static HandshakeSecrets Derive(
        ReadOnlySpan<byte> inputKeyMaterial,
        IdentityKey initiator,
        IdentityKey responder,
        ProtocolAddress initiatorAddress,
        ProtocolAddress responderAddress,
        HandshakeTranscript? transcript)
    {
        Span<byte> salt = stackalloc byte[KeyLength];
        // Stryker disable once Statement : stackalloc memory is already zero (no SkipLocalsInit); the explicit clear documents the all-zero salt.
        salt.Clear();
        Span<byte> infoBuffer = stackalloc byte[MaxInfoLength];
        int infoLength = WriteInfo(initiatorAddress, responderAddress, infoBuffer);
        ReadOnlySpan<byte> info = infoBuffer[..infoLength];
        Span<byte> okm = stackalloc byte[OutputLength];
        try
        {
            HkdfSha256.DeriveKey(salt, inputKeyMaterial, info, okm);
            if (transcript is not null)
            {
                transcript.InputKeyMaterial = inputKeyMaterial.ToArray();
                transcript.Info = info.ToArray();
                transcript.OutputKeyMaterial = okm.ToArray();
            }

            return new HandshakeSecrets(okm, initiator, responder);
        }
        // Stryker disable all : wipes a stack temporary that no caller can read afterwards.
        finally
        {
            CryptographicOperations.ZeroMemory(okm);
        }

        // Stryker restore all
    }

    /// <summary>Writes <c>info = label || Addr(initiator) || Addr(responder)</c>; returns its length.</summary>
    internal static int WriteInfo(ProtocolAddress initiatorAddress, ProtocolAddress responderAddress, Span<byte> destination)
    {
        ReadOnlySpan<byte> label = ProtocolLabels.Handshake;
        label.CopyTo(destination);
        int length = label.Length;
        length += initiatorAddress.WriteBinding(destination[length..]);
        length += responderAddress.WriteBinding(destination[length..]);
        return length;
    }

    /// <summary>Whether both sides hold the same secrets (constant time; for tests).</summary>
    internal bool ContentEquals(HandshakeSecrets other) =>
        RootKey.ContentEquals(other.RootKey)
        & InitiatorHeaderKey.ContentEquals(other.InitiatorHeaderKey)
        & ResponderNextHeaderKey.ContentEquals(other.ResponderNextHeaderKey)
        & SessionBinding.ContentEquals(other.SessionBinding)
        & AssociatedData.ContentEquals(other.AssociatedData);

    /// <summary>Wipes every secret. Safe to call more than once.</summary>
    public void Dispose()
    {
        RootKey.Dispose();
        InitiatorHeaderKey.Dispose();
        ResponderNextHeaderKey.Dispose();
        SessionBinding.Dispose();
        AssociatedData.Dispose();
    }
}
