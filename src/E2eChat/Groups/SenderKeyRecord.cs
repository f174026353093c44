using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using E2eChat.Crypto;
using E2eChat.Ratchet;
using E2eChat.Storage.Proto;
using Google.Protobuf;

namespace E2eChat;

/// <summary>
/// What a receiver holds for one sender's distribution (PROTOCOL.md section 7): up to
/// <see cref="ProtocolLimits.MaxSenderKeyStates"/> generations of the sender's key (chain ids), newest
/// first, and up to <see cref="ProtocolLimits.MaxSenderKeySkippedKeys"/> skipped message keys across
/// them. Created from the first <c>SenderKeyDistribution</c> the sender hands us through our pairwise
/// session; store it under (sender address, <see cref="DistributionId"/>).
/// </summary>
/// <remarks>
/// Decryption is transactional: the message key is found on scratch memory, and the record changes
/// only after the signature verifies and the payload authenticates and unpads. A failed decryption
/// leaves the record, and so its serialized form, exactly as it was. Not thread-safe: one caller at a
/// time per record.
/// </remarks>
internal sealed class SenderKeyRecord : IDisposable
{
    private const byte BodyTag = (2 << 3) | 2;
    private const int KeyLength = ChainKdf.KeyLength;

    private readonly List<SenderKeyState> _states = [];
    private readonly SenderKeySkippedKeys _skipped = new();
    private bool _disposed;

    private SenderKeyRecord(DistributionId distributionId)
    {
        DistributionId = distributionId;
    }

    /// <summary>The distribution id this record is for.</summary>
    public DistributionId DistributionId { get; }

    /// <summary>The chain ids of the generations held, newest first.</summary>
    internal IReadOnlyList<uint> ChainIds => [.. _states.Select(static state => state.ChainId)];

    /// <summary>The number of skipped message keys held.</summary>
    internal int SkippedKeyCount => _skipped.Count;

    /// <summary>The skipped keys, for tests.</summary>
    internal SenderKeySkippedKeys SkippedKeys => _skipped;

    /// <summary>
    /// Creates a record from a sender's first <c>SenderKeyDistribution</c>. The distribution must have
    /// arrived through the pairwise session with that sender: whoever can hand us a distribution can
    /// post to its audience.
    /// </summary>
    /// <param name="distributionMessage">The encoded distribution message (the caller wipes it: it holds a chain key).</param>
    /// <param name="record">The new record, or <see langword="null"/>.</param>
    /// <param name="failure">Why the message was refused.</param>
    /// <returns><see langword="true"/> when the record was created.</returns>
    public static bool TryCreate(ReadOnlySpan<byte> distributionMessage, [NotNullWhen(true)] out SenderKeyRecord? record, out E2eChatFailure failure)
    {
        record = null;
        if (!SenderKeyDistributionFields.TryParse(distributionMessage, out SenderKeyDistributionFields fields))
        {
            failure = E2eChatFailure.Malformed;
            return false;
        }

        var created = new SenderKeyRecord(new DistributionId(fields.DistributionId));
        created.Install(fields);
        record = created;
        failure = E2eChatFailure.None;
        return true;
    }

    /// <summary>Creates a record from a sender's first <c>SenderKeyDistribution</c>; see <see cref="TryCreate"/>.</summary>
    /// <param name="distributionMessage">The encoded distribution message.</param>
    /// <returns>The new record, which the caller disposes.</returns>
    /// <exception cref="E2eChatException">The message is malformed (<see cref="E2eChatFailure"/>).</exception>
    public static SenderKeyRecord Create(ReadOnlySpan<byte> distributionMessage) =>
        TryCreate(distributionMessage, out SenderKeyRecord? record, out E2eChatFailure failure)
            ? record
            : throw new E2eChatException(failure);

    /// <summary>
    /// Reads the distribution id of a sender-key message without decrypting it, to find the record it
    /// is for. Never throws.
    /// </summary>
    /// <param name="message">The encoded <c>SenderKeyMessage</c> (a <see cref="CiphertextMessage"/> body).</param>
    /// <param name="distributionId">The distribution id on success.</param>
    /// <returns><see langword="false"/> when the message is malformed.</returns>
    public static bool TryReadDistributionId(ReadOnlySpan<byte> message, out DistributionId distributionId)
    {
        distributionId = default;
        if (!SenderKeyMessageFields.TryParse(message, out SenderKeyMessageFields fields))
        {
            return false;
        }

        distributionId = new DistributionId(fields.DistributionId);
        return true;
    }

    /// <summary>
    /// Processes a later <c>SenderKeyDistribution</c> of the same distribution (a rotation, or a
    /// re-send). A generation already held with the same chain id and signing key is kept as it is
    /// (so a re-sent distribution can never roll a chain back and re-open used iterations); one with
    /// the same chain id but another signing key is replaced; a new one becomes the newest, and the
    /// oldest beyond <see cref="ProtocolLimits.MaxSenderKeyStates"/> is forgotten with its skipped keys.
    /// </summary>
    /// <param name="distributionMessage">The encoded distribution message, received through the pairwise session with the sender.</param>
    /// <param name="failure">Why the message was refused; the record is then unchanged.</param>
    /// <returns><see langword="true"/> when the distribution was processed.</returns>
    /// <exception cref="ObjectDisposedException">The record was disposed.</exception>
    public bool TryProcessDistribution(ReadOnlySpan<byte> distributionMessage, out E2eChatFailure failure)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!SenderKeyDistributionFields.TryParse(distributionMessage, out SenderKeyDistributionFields fields))
        {
            failure = E2eChatFailure.Malformed;
            return false;
        }

        if (!DistributionId.Matches(fields.DistributionId))
        {
            failure = E2eChatFailure.WrongDistribution;
            return false;
        }

        Install(fields);
        failure = E2eChatFailure.None;
        return true;
    }

    /// <summary>Processes a later distribution; see <see cref="TryProcessDistribution"/>.</summary>
    /// <param name="distributionMessage">The encoded distribution message.</param>
    /// <exception cref="E2eChatException">The message was refused (<see cref="E2eChatFailure"/>).</exception>
    /// <exception cref="ObjectDisposedException">The record was disposed.</exception>
    public void ProcessDistribution(ReadOnlySpan<byte> distributionMessage)
    {
        if (!TryProcessDistribution(distributionMessage, out E2eChatFailure failure))
        {
            throw new E2eChatException(failure);
        }
    }

    /// <summary>
    /// Decrypts a post (PROTOCOL.md section 7) into a caller-provided buffer. The record changes only
    /// when this returns <see langword="true"/>.
    /// </summary>
    /// <param name="message">The encoded <c>SenderKeyMessage</c> as received.</param>
    /// <param name="nowMilliseconds">The receiver's clock, milliseconds since the Unix epoch: posts whose signed expiry is not after it are refused.</param>
    /// <param name="plaintext">
    /// Working space and output, at least the ciphertext length minus 16 bytes (<paramref name="message"/>'s
    /// length always suffices); must not overlap <paramref name="message"/>. On success the plaintext is
    /// its first <paramref name="bytesWritten"/> bytes; on failure it is zeroed.
    /// </param>
    /// <param name="bytesWritten">The plaintext length.</param>
    /// <param name="failure">Why decryption failed, or <see cref="E2eChatFailure.None"/>.</param>
    /// <returns><see langword="true"/> when the post decrypted and the record was updated.</returns>
    /// <exception cref="ArgumentException"><paramref name="plaintext"/> is too small for this message or overlaps it.</exception>
    /// <exception cref="ObjectDisposedException">The record was disposed.</exception>
    public bool TryDecrypt(ReadOnlySpan<byte> message, ulong nowMilliseconds, Span<byte> plaintext, out int bytesWritten, out E2eChatFailure failure)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        bytesWritten = 0;
        if (!SenderKeyMessageFields.TryParse(message, out SenderKeyMessageFields fields))
        {
            failure = E2eChatFailure.Malformed;
            return false;
        }

        int paddedLength = fields.Ciphertext.Length - Aead.TagLength;
        Error.CheckMinimumLength(plaintext, paddedLength, nameof(plaintext));
        Error.CheckNoOverlap(plaintext, message, nameof(plaintext), nameof(message));

        Span<byte> padded = plaintext[..paddedLength];
        Span<byte> messageKey = stackalloc byte[KeyLength];
        Span<byte> nextChainKey = stackalloc byte[KeyLength];
        Span<byte> header = stackalloc byte[SenderKeyMessageFields.HeaderLength];
        try
        {
            failure = Plan(fields, nowMilliseconds, messageKey, nextChainKey, out SenderKeyState? state, out int skippedIndex);
            if (failure == E2eChatFailure.None)
            {
                SenderKeyMessageFields.WriteHeader(fields.DistributionId, fields.ChainId, fields.Iteration, fields.ExpiresAtMilliseconds, header);
                failure = SenderKeyCipher.TryDecrypt(messageKey, header, fields.Ciphertext, padded, out bytesWritten);
            }

            if (failure != E2eChatFailure.None)
            {
                bytesWritten = 0;
                CryptographicOperations.ZeroMemory(padded);
                return false;
            }

            Commit(state!, skippedIndex, fields.Iteration, fields.ExpiresAtMilliseconds, nowMilliseconds, nextChainKey);
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(messageKey);
            CryptographicOperations.ZeroMemory(nextChainKey);
        }
    }

    /// <summary>Decrypts a post into a new array; see the span overload.</summary>
    /// <param name="message">The encoded <c>SenderKeyMessage</c> as received.</param>
    /// <param name="nowMilliseconds">The receiver's clock, milliseconds since the Unix epoch.</param>
    /// <param name="plaintext">The plaintext, or <see langword="null"/> on failure.</param>
    /// <param name="failure">Why decryption failed, or <see cref="E2eChatFailure.None"/>.</param>
    /// <returns><see langword="true"/> when the post decrypted and the record was updated.</returns>
    /// <exception cref="ObjectDisposedException">The record was disposed.</exception>
    public bool TryDecrypt(ReadOnlySpan<byte> message, ulong nowMilliseconds, [NotNullWhen(true)] out byte[]? plaintext, out E2eChatFailure failure)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        plaintext = null;
        if (!SenderKeyMessageFields.TryParse(message, out SenderKeyMessageFields fields))
        {
            failure = E2eChatFailure.Malformed;
            return false;
        }

        using var buffer = new PooledSecret(fields.Ciphertext.Length - Aead.TagLength);
        if (!TryDecrypt(message, nowMilliseconds, buffer.Span, out int written, out failure))
        {
            return false;
        }

        plaintext = buffer.Span[..written].ToArray();
        return true;
    }

    /// <summary>Decrypts a post; see <see cref="TryDecrypt(ReadOnlySpan{byte}, ulong, out byte[], out E2eChatFailure)"/>.</summary>
    /// <param name="message">The encoded <c>SenderKeyMessage</c> as received.</param>
    /// <param name="nowMilliseconds">The receiver's clock, milliseconds since the Unix epoch.</param>
    /// <returns>The plaintext.</returns>
    /// <exception cref="E2eChatException">The post was refused (<see cref="E2eChatFailure"/>); the record is unchanged.</exception>
    /// <exception cref="ObjectDisposedException">The record was disposed.</exception>
    public byte[] Decrypt(ReadOnlySpan<byte> message, ulong nowMilliseconds) =>
        TryDecrypt(message, nowMilliseconds, out byte[]? plaintext, out E2eChatFailure failure)
            ? plaintext
            : throw new E2eChatException(failure);

    /// <summary>
    /// Deletes the skipped message keys that only served expired posts (PROTOCOL.md section 7): every
    /// key whose deletion time is set and not after <paramref name="nowMilliseconds"/>. Call it
    /// periodically (and before persisting), so that a device seized later holds no key for an expired
    /// status post it never received.
    /// </summary>
    /// <param name="nowMilliseconds">The receiver's clock, milliseconds since the Unix epoch.</param>
    /// <returns>The number of keys deleted.</returns>
    /// <exception cref="ObjectDisposedException">The record was disposed.</exception>
    public int DeleteExpiredKeys(ulong nowMilliseconds)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _skipped.RemoveExpired(nowMilliseconds);
    }

    /// <summary>
    /// Serializes the record (<c>SenderKeyRecordFile</c> of <c>storage.proto</c>). The output holds the
    /// chain keys and skipped message keys: seal it (<see cref="SealedState"/>) or keep it in protected
    /// storage, and wipe the array when done.
    /// </summary>
    /// <returns>The canonical encoding.</returns>
    /// <exception cref="ObjectDisposedException">The record was disposed.</exception>
    public byte[] Serialize()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var secrets = new ProtobufSecrets();
        var data = new SenderKeyRecordData { DistributionId = ByteString.CopyFrom(DistributionId.ToArray()) };
        foreach (SenderKeyState state in _states)
        {
            data.States.Add(new SenderKeyStateData
            {
                ChainId = state.ChainId,
                NextIteration = state.NextIteration,
                ChainKey = secrets.Wrap(state.ChainKey),
                SigningKey = ByteString.CopyFrom(state.SigningKey),
            });
        }

        for (int i = 0; i < _skipped.Count; i++)
        {
            data.SkippedKeys.Add(new SenderKeySkippedKeyData
            {
                ChainId = _skipped.ChainIdAt(i),
                Iteration = _skipped.IterationAt(i),
                DeleteAfterMs = _skipped.DeleteAfterAt(i),
                MessageKey = secrets.Wrap(_skipped.MessageKeyAt(i)),
            });
        }

        return new SenderKeyRecordFile { FormatVersion = StoredRecordFrame.FormatVersion, Record = data }.ToByteArray();
    }

    /// <summary>
    /// Loads a record written by <see cref="Serialize"/>. Only the canonical encoding loads, so
    /// <c>Serialize(TryDeserialize(x)) == x</c> byte for byte; never throws for corrupt input.
    /// </summary>
    /// <param name="serialized">The stored bytes.</param>
    /// <param name="record">The record, or <see langword="null"/> on failure.</param>
    /// <param name="failure">Why loading failed, or <see cref="E2eChatFailure.None"/>.</param>
    /// <returns><see langword="true"/> when the record loaded.</returns>
    public static bool TryDeserialize(ReadOnlySpan<byte> serialized, [NotNullWhen(true)] out SenderKeyRecord? record, out E2eChatFailure failure)
    {
        return StoredRecordFrame.TryLoad(serialized, BodyTag, SenderKeyRecordData.Parser, default(Loader), out record, out failure);
    }

    /// <summary>Loads a record; see <see cref="TryDeserialize"/>.</summary>
    /// <param name="serialized">The stored bytes.</param>
    /// <returns>The record, which the caller disposes.</returns>
    /// <exception cref="E2eChatException">The bytes do not load (<see cref="E2eChatFailure"/>).</exception>
    public static SenderKeyRecord Deserialize(ReadOnlySpan<byte> serialized) =>
        TryDeserialize(serialized, out SenderKeyRecord? record, out E2eChatFailure failure)
            ? record
            : throw new E2eChatException(failure);

    /// <summary>Wipes every chain key and skipped message key.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (SenderKeyState state in _states)
        {
            state.Dispose();
        }

        _states.Clear();
        _skipped.Dispose();
    }

    /// <summary>The next iteration expected in generation <paramref name="chainId"/>, for tests.</summary>
    /// <param name="chainId">A chain id held.</param>
    /// <returns>The next iteration.</returns>
    internal uint NextIterationOf(uint chainId) => _states[IndexOfState(chainId)].NextIteration;

    /// <summary>Loads this record type for <see cref="StoredRecordFrame.TryLoad"/>.</summary>
    private readonly struct Loader : IStoredRecordLoader<SenderKeyRecordData, SenderKeyRecord>
    {
        public SenderKeyRecord? FromData(SenderKeyRecordData data) => SenderKeyRecord.FromData(data);

        public byte[] Serialize(SenderKeyRecord record) => record.Serialize();
    }

    private static SenderKeyRecord? FromData(SenderKeyRecordData data)
    {
        try
        {
            if (!IsValid(data))
            {
                return null;
            }

            var record = new SenderKeyRecord(new DistributionId(data.DistributionId.Span));
            foreach (SenderKeyStateData state in data.States)
            {
                record._states.Add(new SenderKeyState(state.ChainId, state.NextIteration, state.ChainKey.Span, state.SigningKey.Span));
            }

            foreach (SenderKeySkippedKeyData skipped in data.SkippedKeys)
            {
                record._skipped.Add(skipped.ChainId, skipped.Iteration, skipped.DeleteAfterMs, skipped.MessageKey.Span);
            }

            return record;
        }
        finally
        {
            foreach (SenderKeyStateData state in data.States)
            {
                ProtobufSecrets.Wipe(state.ChainKey);
            }

            foreach (SenderKeySkippedKeyData skipped in data.SkippedKeys)
            {
                ProtobufSecrets.Wipe(skipped.MessageKey);
            }
        }
    }

    private static bool IsValid(SenderKeyRecordData data)
    {
        if (data.DistributionId.Length != DistributionId.Length
            || data.States.Count is 0 or > ProtocolLimits.MaxSenderKeyStates
            || data.SkippedKeys.Count > ProtocolLimits.MaxSenderKeySkippedKeys)
        {
            return false;
        }

        var nextIterations = new Dictionary<uint, uint>();
        foreach (SenderKeyStateData state in data.States)
        {
            if (state.ChainId == 0
                || state.ChainKey.Length != KeyLength
                || state.SigningKey.Length != Ed25519.PublicKeyLength
                || !nextIterations.TryAdd(state.ChainId, state.NextIteration))
            {
                return false;
            }
        }

        var seen = new HashSet<(uint, uint)>();
        foreach (SenderKeySkippedKeyData skipped in data.SkippedKeys)
        {
            if (skipped.MessageKey.Length != KeyLength
                || !nextIterations.TryGetValue(skipped.ChainId, out uint next)
                || skipped.Iteration >= next
                || !seen.Add((skipped.ChainId, skipped.Iteration)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool VerifySignature(in SenderKeyMessageFields fields, ReadOnlySpan<byte> signingKey)
    {
        int length = fields.SignedLength;
        byte[] rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            Span<byte> signed = rented.AsSpan(0, length);
            fields.WriteSignedBody(signed);
            return Ed25519.Verify(signingKey, ProtocolLabels.SenderKeyMessage, signed, fields.Signature);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static ulong SaturatingAdd(ulong a, ulong b) => a > ulong.MaxValue - b ? ulong.MaxValue : a + b;

    private int IndexOfState(uint chainId)
    {
        for (int i = 0; i < _states.Count; i++)
        {
            if (_states[i].ChainId == chainId)
            {
                return i;
            }
        }

        return -1;
    }

    private void Install(in SenderKeyDistributionFields fields)
    {
        int index = IndexOfState(fields.ChainId);
        if (index >= 0)
        {
            SenderKeyState existing = _states[index];
            _states.RemoveAt(index);
            if (existing.SigningKey.SequenceEqual(fields.SigningKey))
            {
                _states.Insert(0, existing);
                return;
            }

            _skipped.RemoveChain(existing.ChainId);
            existing.Dispose();
        }

        _states.Insert(0, new SenderKeyState(fields.ChainId, fields.Iteration, fields.ChainKey, fields.SigningKey));
        while (_states.Count > ProtocolLimits.MaxSenderKeyStates)
        {
            SenderKeyState oldest = _states[^1];
            _states.RemoveAt(_states.Count - 1);
            _skipped.RemoveChain(oldest.ChainId);
            oldest.Dispose();
        }
    }

    /// <summary>
    /// Finds the message key without changing the record: the generation (unknown), the signature,
    /// the expiry, then the iteration (a skipped key, or the chain advanced on scratch memory).
    /// </summary>
    private E2eChatFailure Plan(in SenderKeyMessageFields fields, ulong nowMilliseconds, Span<byte> messageKey, Span<byte> nextChainKey, out SenderKeyState? state, out int skippedIndex)
    {
        state = null;
        skippedIndex = -1;
        int index = DistributionId.Matches(fields.DistributionId) ? IndexOfState(fields.ChainId) : -1;
        if (index < 0)
        {
            return E2eChatFailure.UnknownSenderKey;
        }

        state = _states[index];
        if (!VerifySignature(fields, state.SigningKey))
        {
            return E2eChatFailure.BadSignature;
        }

        if (fields.ExpiresAtMilliseconds != 0 && fields.ExpiresAtMilliseconds <= nowMilliseconds)
        {
            return E2eChatFailure.Expired;
        }

        uint iteration = fields.Iteration;
        if (iteration < state.NextIteration)
        {
            skippedIndex = _skipped.IndexOf(state.ChainId, iteration);
            if (skippedIndex < 0)
            {
                return E2eChatFailure.Duplicate;
            }

            _skipped.MessageKeyAt(skippedIndex).CopyTo(messageKey);
            return E2eChatFailure.None;
        }

        if (iteration - state.NextIteration > ProtocolLimits.MaxSenderKeyGap)
        {
            return E2eChatFailure.TooBigGap;
        }

        state.ChainKey.CopyTo(nextChainKey);
        for (uint i = state.NextIteration; i < iteration; i++)
        {
            ChainKdf.Advance(nextChainKey, messageKey, nextChainKey);
        }

        ChainKdf.Advance(nextChainKey, messageKey, nextChainKey);
        return E2eChatFailure.None;
    }

    /// <summary>
    /// Writes the planned change: deletes the skipped key used, or stores the keys of the iterations
    /// skipped (re-derived from the current chain key) and moves the chain past the message.
    /// </summary>
    private void Commit(SenderKeyState state, int skippedIndex, uint iteration, ulong expiresAtMilliseconds, ulong nowMilliseconds, ReadOnlySpan<byte> nextChainKey)
    {
        if (skippedIndex >= 0)
        {
            _skipped.RemoveAt(skippedIndex);
            return;
        }

        int gap = (int)(iteration - state.NextIteration);
        if (gap > 0)
        {
            ulong deleteAfter = expiresAtMilliseconds != 0 ? SaturatingAdd(nowMilliseconds, (ulong)ProtocolLimits.StatusLifetimeMilliseconds) : 0;
            Span<byte> chainKey = stackalloc byte[KeyLength];
            Span<byte> messageKey = stackalloc byte[KeyLength];
            try
            {
                state.ChainKey.CopyTo(chainKey);
                for (uint i = state.NextIteration; i < iteration; i++)
                {
                    ChainKdf.Advance(chainKey, messageKey, chainKey);
                    _skipped.Add(state.ChainId, i, deleteAfter, messageKey);
                }
            }
            finally
            {
                CryptographicOperations.ZeroMemory(chainKey);
                CryptographicOperations.ZeroMemory(messageKey);
            }
        }

        nextChainKey.CopyTo(state.ChainKey);
        state.NextIteration = iteration + 1;
    }
}
