using System.Diagnostics.CodeAnalysis;
using E2eChat.Crypto;
using E2eChat.Ratchet;
using E2eChat.Storage.Proto;
using Google.Protobuf;

namespace E2eChat;

/// <summary>
/// All sessions with one peer address (PROTOCOL.md section 5.6): the current state and up to
/// <see cref="ProtocolLimits.MaxArchivedStates"/> archived states, newest first. Decryption tries the
/// current state, then each archived one, and promotes the one that succeeds. Owns its states.
/// </summary>
/// <remarks>
/// Stored as the protobuf <c>SessionRecordFile</c> of <c>storage.proto</c>: the format version
/// first, so that old and unknown versions are refused before the body is parsed, then the record.
/// Only canonical encodings load, so <c>Serialize(TryDeserialize(x)) == x</c> byte for byte.
/// </remarks>
internal sealed class SessionRecord : IDisposable
{
    /// <summary>The storage format version this build writes.</summary>
    internal const uint FormatVersion = StoredRecordFrame.FormatVersion;

    /// <summary>The oldest storage format version this build reads.</summary>
    internal const uint OldestReadableFormatVersion = StoredRecordFrame.OldestReadableFormatVersion;

    private const byte RecordTag = (2 << 3) | 2;          // field 2, length-delimited

    private readonly List<SessionState> _archived = [];
    private SessionState? _current;
    private bool _disposed;

    /// <summary>The current state, or <see langword="null"/> when there is none.</summary>
    internal SessionState? Current => _current;

    /// <summary>The archived states, newest first.</summary>
    internal IReadOnlyList<SessionState> Archived => _archived;

    /// <summary>
    /// Makes <paramref name="state"/> (a new session from a handshake) current; the previous
    /// current state is archived, and the oldest archived state is dropped beyond
    /// <see cref="ProtocolLimits.MaxArchivedStates"/>.
    /// </summary>
    /// <param name="state">The new state; the record now owns it.</param>
    /// <exception cref="ArgumentException">The state already belongs to this record.</exception>
    internal void PromoteNew(SessionState state)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(state);
        if (ReferenceEquals(state, _current) || _archived.Contains(state))
        {
            throw new ArgumentException("The state already belongs to this record.", nameof(state));
        }

        ArchiveCurrentState();
        _current = state;
    }

    /// <summary>
    /// Takes the current state out of the record without disposing it (the caller owns it again), for
    /// a working copy whose commit lost a race: the state is re-applied to the reloaded record.
    /// </summary>
    /// <returns>The current state, or <see langword="null"/>.</returns>
    internal SessionState? DetachCurrent()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        SessionState? current = _current;
        _current = null;
        return current;
    }

    /// <summary>Archives the current state (if any), leaving no current state.</summary>
    internal void ArchiveCurrentState()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_current is null)
        {
            return;
        }

        _archived.Insert(0, _current);
        _current = null;
        while (_archived.Count > ProtocolLimits.MaxArchivedStates)
        {
            _archived[^1].Dispose();
            _archived.RemoveAt(_archived.Count - 1);
        }
    }

    /// <summary>Makes an archived state current (archiving the current one); a no-op for the current state.</summary>
    /// <param name="state">A state of this record.</param>
    /// <exception cref="ArgumentException">The state does not belong to this record.</exception>
    internal void Promote(SessionState state)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(state);
        if (ReferenceEquals(state, _current))
        {
            return;
        }

        int index = _archived.IndexOf(state);
        if (index < 0)
        {
            throw new ArgumentException("The state does not belong to this record.", nameof(state));
        }

        PromoteArchived(index);
    }

    /// <summary>
    /// Finds the state created by the handshake with <paramref name="baseKey"/> from
    /// <paramref name="peerIdentityKey"/> (PROTOCOL.md section 4, responder step 1): current first,
    /// then archived, newest first.
    /// </summary>
    /// <param name="baseKey">The 32-byte base key of a <c>PreKeyMessage</c>.</param>
    /// <param name="peerIdentityKey">The 128-byte identity key of that message.</param>
    /// <returns>The state, or <see langword="null"/>.</returns>
    internal SessionState? FindState(ReadOnlySpan<byte> baseKey, ReadOnlySpan<byte> peerIdentityKey)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_current is not null && _current.Matches(baseKey, peerIdentityKey))
        {
            return _current;
        }

        foreach (SessionState state in _archived)
        {
            if (state.Matches(baseKey, peerIdentityKey))
            {
                return state;
            }
        }

        return null;
    }

    /// <summary>
    /// Decrypts a <c>RatchetMessage</c>: tries the current state, then each archived state, newest
    /// first; the first that succeeds is committed and, if archived, promoted to current. When all
    /// fail, the current state's failure is reported (<see cref="E2eChatFailure.NoSession"/>
    /// without one) and nothing changes.
    /// </summary>
    /// <param name="encryptedHeader">The encrypted header.</param>
    /// <param name="ciphertext">The ciphertext.</param>
    /// <param name="plaintext">Working space and output, at least <paramref name="ciphertext"/>.Length - 16 bytes.</param>
    /// <param name="bytesWritten">The plaintext length.</param>
    /// <param name="failure">Why decryption failed.</param>
    /// <returns><see langword="true"/> on success.</returns>
    internal bool TryDecrypt(ReadOnlySpan<byte> encryptedHeader, ReadOnlySpan<byte> ciphertext, Span<byte> plaintext, out int bytesWritten, out E2eChatFailure failure)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        bytesWritten = 0;
        if (_current is null && _archived.Count == 0)
        {
            failure = E2eChatFailure.NoSession;
            return false;
        }

        if (!RatchetState.IsWellFormed(encryptedHeader, ciphertext))
        {
            failure = E2eChatFailure.Malformed;
            return false;
        }

        failure = E2eChatFailure.NoSession;
        if (_current is not null && _current.TryDecrypt(encryptedHeader, ciphertext, plaintext, out bytesWritten, out failure))
        {
            return true;
        }

        for (int i = 0; i < _archived.Count; i++)
        {
            if (_archived[i].TryDecrypt(encryptedHeader, ciphertext, plaintext, out bytesWritten, out _))
            {
                PromoteArchived(i);
                failure = E2eChatFailure.None;
                return true;
            }
        }

        return false;
    }

    /// <summary>Decrypts a <c>RatchetMessage</c> into a new array; see the span overload.</summary>
    /// <param name="encryptedHeader">The encrypted header.</param>
    /// <param name="ciphertext">The ciphertext.</param>
    /// <param name="plaintext">The plaintext, or <see langword="null"/>.</param>
    /// <param name="failure">Why decryption failed.</param>
    /// <returns><see langword="true"/> on success.</returns>
    internal bool TryDecrypt(ReadOnlySpan<byte> encryptedHeader, ReadOnlySpan<byte> ciphertext, [NotNullWhen(true)] out byte[]? plaintext, out E2eChatFailure failure)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        plaintext = null;
        if (!RatchetState.IsWellFormed(encryptedHeader, ciphertext))
        {
            failure = _current is null && _archived.Count == 0 ? E2eChatFailure.NoSession : E2eChatFailure.Malformed;
            return false;
        }

        using var buffer = new PooledSecret(ciphertext.Length - Aead.TagLength);
        if (!TryDecrypt(encryptedHeader, ciphertext, buffer.Span, out int written, out failure))
        {
            return false;
        }

        plaintext = buffer.Span[..written].ToArray();
        return true;
    }

    /// <summary>
    /// Serializes the record (<c>SessionRecordFile</c>, format version <see cref="FormatVersion"/>).
    /// The output holds every secret of every state: seal it (<see cref="SealedState"/>) or keep it
    /// in protected storage.
    /// </summary>
    /// <returns>The canonical encoding.</returns>
    internal byte[] Serialize()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var secrets = new ProtobufSecrets();
        var data = new SessionRecordData { Current = _current?.ToData(secrets) };
        foreach (SessionState state in _archived)
        {
            data.Archived.Add(state.ToData(secrets));
        }

        return new SessionRecordFile { FormatVersion = FormatVersion, Record = data }.ToByteArray();
    }

    /// <summary>Loads a record written by <see cref="Serialize"/>.</summary>
    /// <param name="serialized">The stored bytes.</param>
    /// <param name="record">The record, or <see langword="null"/> on failure.</param>
    /// <param name="failure">Why loading failed, or <see cref="E2eChatFailure.None"/>.</param>
    /// <returns><see langword="true"/> when the record loaded.</returns>
    internal static bool TryDeserialize(ReadOnlySpan<byte> serialized, [NotNullWhen(true)] out SessionRecord? record, out E2eChatFailure failure) =>
        TryDeserialize(serialized, RandomSource.System, out record, out failure);

    /// <summary>Loads a record; its states draw future randomness from <paramref name="random"/>.</summary>
    /// <param name="serialized">The stored bytes.</param>
    /// <param name="random">The randomness source for the loaded ratchet states.</param>
    /// <param name="record">The record, or <see langword="null"/> on failure.</param>
    /// <param name="failure">Why loading failed, or <see cref="E2eChatFailure.None"/>.</param>
    /// <returns><see langword="true"/> when the record loaded.</returns>
    internal static bool TryDeserialize(ReadOnlySpan<byte> serialized, RandomSource random, [NotNullWhen(true)] out SessionRecord? record, out E2eChatFailure failure)
    {
        ArgumentNullException.ThrowIfNull(random);
        return StoredRecordFrame.TryLoad(serialized, RecordTag, SessionRecordData.Parser, new Loader(random), out record, out failure);
    }

    /// <summary>Disposes every state (wiping their secrets).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _current?.Dispose();
        _current = null;
        foreach (SessionState state in _archived)
        {
            state.Dispose();
        }

        _archived.Clear();
    }

    /// <summary>Loads this record type for <see cref="StoredRecordFrame.TryLoad"/>; its states draw from <paramref name="random"/>.</summary>
    /// <param name="random">The randomness source for the loaded state.</param>
    private readonly struct Loader(RandomSource random) : IStoredRecordLoader<SessionRecordData, SessionRecord>
    {
        public SessionRecord? FromData(SessionRecordData data) => SessionRecord.FromData(data, random);

        public byte[] Serialize(SessionRecord record) => record.Serialize();
    }

    /// <summary>
    /// Builds a record from its parsed form, or returns <see langword="null"/> when it is corrupt.
    /// Every secret byte string of <paramref name="data"/> is wiped either way.
    /// </summary>
    private static SessionRecord? FromData(SessionRecordData data, RandomSource random)
    {
        var record = new SessionRecord();
        bool ok = data.Archived.Count <= ProtocolLimits.MaxArchivedStates;
        if (ok && data.Current is not null)
        {
            ok = SessionState.TryFromData(data.Current, random, out record._current);
        }

        foreach (SessionStateData archived in data.Archived)
        {
            if (ok && SessionState.TryFromData(archived, random, out SessionState? state))
            {
                record._archived.Add(state);
            }
            else
            {
                ok = false;
                if (archived.Ratchet is not null)
                {
                    RatchetState.WipeSecrets(archived.Ratchet);
                }
            }
        }

        if (!ok)
        {
            if (data.Current?.Ratchet is not null)
            {
                RatchetState.WipeSecrets(data.Current.Ratchet);
            }

            record.Dispose();
            return null;
        }

        return record;
    }

    private void PromoteArchived(int index)
    {
        SessionState state = _archived[index];
        _archived.RemoveAt(index);
        if (_current is not null)
        {
            _archived.Insert(0, _current);
        }

        _current = state;
    }
}
