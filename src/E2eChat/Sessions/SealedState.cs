using System.Diagnostics.CodeAnalysis;
using E2eChat.Crypto;

namespace E2eChat;

/// <summary>
/// Seals exported state under a 32-byte storage key for keeping on disk (PROTOCOL.md section 10):
/// <c>0x01 || nonce (24 random) || XChaCha20-Poly1305(storage_key, nonce, state, aad = "E2eChat/v1/sealed-state" || 0x01)</c>.
/// Any change to the sealed bytes makes opening fail with <see cref="E2eChatFailure.Unauthentic"/>.
/// Unsealed state is not authenticated at all; sealed state is, but an older sealed copy put back in
/// place still opens (sealing does not detect a rollback).
/// </summary>
public static class SealedState
{
    /// <summary>Length of the storage key in bytes.</summary>
    public const int StorageKeyLength = Aead.KeyLength;

    /// <summary>The format byte every sealed state starts with.</summary>
    public const byte FormatVersion = 0x01;

    /// <summary>Bytes sealing adds: the format byte, the 24-byte nonce and the 16-byte tag.</summary>
    public const int Overhead = 1 + Aead.XChaChaNonceLength + Aead.TagLength;

    private const int NonceOffset = 1;
    private const int CiphertextOffset = NonceOffset + Aead.XChaChaNonceLength;

    /// <summary>The sealed length of <paramref name="stateLength"/> bytes of state.</summary>
    /// <param name="stateLength">The state length; not negative.</param>
    /// <returns><paramref name="stateLength"/> + <see cref="Overhead"/>.</returns>
    public static int GetSealedLength(int stateLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(stateLength);
        return checked(stateLength + Overhead);
    }

    /// <summary>Seals <paramref name="state"/> with a fresh random nonce.</summary>
    /// <param name="storageKey">The 32-byte storage key.</param>
    /// <param name="state">The exported state.</param>
    /// <returns>The sealed bytes.</returns>
    /// <exception cref="ArgumentException">The storage key is not 32 bytes.</exception>
    public static byte[] Seal(ReadOnlySpan<byte> storageKey, ReadOnlySpan<byte> state)
    {
        byte[] sealedState = new byte[GetSealedLength(state.Length)];
        Seal(storageKey, state, sealedState, RandomSource.System);
        return sealedState;
    }

    /// <summary>Seals <paramref name="state"/> into <paramref name="destination"/> with a fresh random nonce.</summary>
    /// <param name="storageKey">The 32-byte storage key.</param>
    /// <param name="state">The exported state; must not overlap <paramref name="destination"/>.</param>
    /// <param name="destination">Exactly <see cref="GetSealedLength"/> bytes.</param>
    /// <exception cref="ArgumentException">A length is wrong or the buffers overlap.</exception>
    public static void Seal(ReadOnlySpan<byte> storageKey, ReadOnlySpan<byte> state, Span<byte> destination) =>
        Seal(storageKey, state, destination, RandomSource.System);

    /// <summary>Opens sealed state.</summary>
    /// <param name="storageKey">The 32-byte storage key.</param>
    /// <param name="sealedState">The sealed bytes.</param>
    /// <param name="state">The state, or <see langword="null"/> on failure.</param>
    /// <param name="failure">Why opening failed, or <see cref="E2eChatFailure.None"/>.</param>
    /// <returns><see langword="true"/> when the sealed bytes are authentic.</returns>
    /// <exception cref="ArgumentException">The storage key is not 32 bytes.</exception>
    public static bool TryOpen(ReadOnlySpan<byte> storageKey, ReadOnlySpan<byte> sealedState, [NotNullWhen(true)] out byte[]? state, out E2eChatFailure failure)
    {
        CheckStorageKey(storageKey);
        state = null;
        if (sealedState.Length < Overhead)
        {
            failure = E2eChatFailure.Unauthentic;
            return false;
        }

        byte[] opened = new byte[sealedState.Length - Overhead];
        if (!TryOpen(storageKey, sealedState, opened, out _, out failure))
        {
            return false;
        }

        state = opened;
        return true;
    }

    /// <summary>Opens sealed state into <paramref name="destination"/>; on failure it is zeroed.</summary>
    /// <param name="storageKey">The 32-byte storage key.</param>
    /// <param name="sealedState">The sealed bytes; must not overlap <paramref name="destination"/>.</param>
    /// <param name="destination">At least <paramref name="sealedState"/>.Length - <see cref="Overhead"/> bytes.</param>
    /// <param name="bytesWritten">The state length.</param>
    /// <param name="failure">Why opening failed, or <see cref="E2eChatFailure.None"/>.</param>
    /// <returns><see langword="true"/> when the sealed bytes are authentic.</returns>
    /// <exception cref="ArgumentException">The storage key is not 32 bytes or the destination is too small.</exception>
    public static bool TryOpen(ReadOnlySpan<byte> storageKey, ReadOnlySpan<byte> sealedState, Span<byte> destination, out int bytesWritten, out E2eChatFailure failure)
    {
        CheckStorageKey(storageKey);
        bytesWritten = 0;
        if (sealedState.Length < Overhead)
        {
            failure = E2eChatFailure.Unauthentic;
            return false;
        }

        int length = sealedState.Length - Overhead;
        if (destination.Length < length)
        {
            throw new ArgumentException($"The destination must hold at least {length} bytes.", nameof(destination));
        }

        Span<byte> output = destination[..length];
        if (sealedState[0] != FormatVersion
            || !Aead.TryDecrypt(AeadAlgorithm.XChaCha20Poly1305, storageKey, sealedState[NonceOffset..CiphertextOffset], sealedState[CiphertextOffset..], AssociatedData(stackalloc byte[ProtocolLabels.SealedState.Length + 1]), output))
        {
            output.Clear();
            failure = E2eChatFailure.Unauthentic;
            return false;
        }

        bytesWritten = length;
        failure = E2eChatFailure.None;
        return true;
    }

    /// <summary>Opens sealed state, throwing on failure.</summary>
    /// <param name="storageKey">The 32-byte storage key.</param>
    /// <param name="sealedState">The sealed bytes.</param>
    /// <returns>The state.</returns>
    /// <exception cref="E2eChatException">The sealed bytes are not authentic (<see cref="E2eChatFailure.Unauthentic"/>).</exception>
    /// <exception cref="ArgumentException">The storage key is not 32 bytes.</exception>
    public static byte[] Open(ReadOnlySpan<byte> storageKey, ReadOnlySpan<byte> sealedState) =>
        TryOpen(storageKey, sealedState, out byte[]? state, out E2eChatFailure failure) ? state : throw new E2eChatException(failure);

    /// <summary>Seals with randomness from <paramref name="random"/> (deterministic in test vectors).</summary>
    internal static void Seal(ReadOnlySpan<byte> storageKey, ReadOnlySpan<byte> state, Span<byte> destination, RandomSource random)
    {
        CheckStorageKey(storageKey);
        ArgumentNullException.ThrowIfNull(random);
        Error.CheckLength(destination, GetSealedLength(state.Length), nameof(destination));

        Error.CheckNoOverlap(destination, state, nameof(destination), nameof(state));

        destination[0] = FormatVersion;
        Span<byte> nonce = destination[NonceOffset..CiphertextOffset];
        random.Fill(nonce);
        Aead.Encrypt(AeadAlgorithm.XChaCha20Poly1305, storageKey, nonce, state, AssociatedData(stackalloc byte[ProtocolLabels.SealedState.Length + 1]), destination[CiphertextOffset..]);
    }

    /// <summary>Writes <c>"E2eChat/v1/sealed-state" || 0x01</c>.</summary>
    private static ReadOnlySpan<byte> AssociatedData(Span<byte> buffer)
    {
        ProtocolLabels.SealedState.CopyTo(buffer);
        buffer[^1] = FormatVersion;
        return buffer;
    }

    private static void CheckStorageKey(ReadOnlySpan<byte> storageKey)
    {
        if (storageKey.Length != StorageKeyLength)
        {
            throw new ArgumentException($"Expected a {StorageKeyLength}-byte storage key.", nameof(storageKey));
        }
    }
}
