using Google.Protobuf;

namespace E2eChat.Client;

/// <content>Publishing, refilling and rotating pre-keys (PROTOCOL.md 12.3).</content>
public sealed partial class ChatDevice
{
    private int _preKeyMessagesSinceRefill;

    /// <summary>
    /// Makes sure the relay serves our pre-keys: a new signed pre-key and last-resort KEM pre-key when
    /// none was published or the current ones are older than <see cref="ChatDeviceOptions.SignedPreKeyRotation"/>
    /// (the old ones stay in the store for handshakes in flight), and one-time pre-keys of each kind up
    /// to <see cref="ChatDeviceOptions.OneTimePreKeyTarget"/> when the relay holds fewer than
    /// <see cref="ChatDeviceOptions.OneTimePreKeyThreshold"/>. Ids are reserved durably before keys are
    /// made, so a restarted device never reuses one.
    /// </summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>How many keys were published (0 when nothing was due).</returns>
    /// <exception cref="E2eChatException">With a <see cref="E2eChatFailure"/>.</exception>
    public async Task<int> RefillPreKeysAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _preKeyGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Interlocked.Exchange(ref _preKeyMessagesSinceRefill, 0);
            PublishedPreKeys published = _state.GetPublished();
            DateTimeOffset now = _time.GetUtcNow();
            bool rotate = published.IsEmpty || now - DateTimeOffset.FromUnixTimeMilliseconds(published.PublishedAtMilliseconds) >= _options.SignedPreKeyRotation;
            Api.PreKeyCount count = await GetPreKeyCountAsync(cancellationToken).ConfigureAwait(false);
            int oneTime = Missing(count.OneTimePrekeys);
            int oneTimeKem = Missing(count.OneTimeKemPrekeys);
            if (!rotate && oneTime == 0 && oneTimeKem == 0)
            {
                return 0;
            }

            int publishedKeys = 0;
            var request = new Api.PublishPreKeysRequest { Device = ApiAddress(Address, Kind) };
            uint signedId = 0;
            uint lastResortId = 0;
            if (rotate)
            {
                signedId = _state.ReserveIds(PreKeyIdKind.Signed, 1);
                lastResortId = _state.ReserveIds(PreKeyIdKind.Kem, 1);
                using SignedPreKey signed = SignedPreKey.Generate(_identity, signedId);
                await _store.SaveSignedPreKeyAsync(signed, cancellationToken).ConfigureAwait(false);
                request.SignedPrekey = new Api.SignedPreKey { Id = signed.Id, PublicKey = ByteString.CopyFrom(signed.PublicKey), Signature = ByteString.CopyFrom(signed.Signature) };
                using KemPreKey lastResort = KemPreKey.Generate(_identity, lastResortId, KemPreKeyKind.LastResort);
                await _store.SaveKemPreKeyAsync(lastResort, cancellationToken).ConfigureAwait(false);
                request.LastResortKemPrekey = KemMessage(lastResort);
                publishedKeys += 2;
            }

            // Uploads of at most 100 keys of each kind; the first also carries the rotated keys.
            while (oneTime > 0 || oneTimeKem > 0 || request.SignedPrekey is not null)
            {
                int x25519 = Math.Min(oneTime, ClientLimits.MaxOneTimePreKeysPerUpload);
                int kem = Math.Min(oneTimeKem, ClientLimits.MaxOneTimePreKeysPerUpload);
                await AddOneTimeKeysAsync(request, x25519, kem, cancellationToken).ConfigureAwait(false);
                await CallOrRefuseAsync("PublishPreKeys", options => _keys.PublishPreKeysAsync(request, options).ResponseAsync, cancellationToken).ConfigureAwait(false);
                if (request.SignedPrekey is not null)
                {
                    _state.SetPublished(new PublishedPreKeys(signedId, lastResortId, now.ToUnixTimeMilliseconds()));
                }

                publishedKeys += x25519 + kem;
                oneTime -= x25519;
                oneTimeKem -= kem;
                request = new Api.PublishPreKeysRequest { Device = ApiAddress(Address, Kind) };
            }

            ClientLog.PreKeysPublished(_logger, Address, publishedKeys, rotate);
            return publishedKeys;
        }
        finally
        {
            _preKeyGate.Release();
        }
    }

    /// <summary>How many one-time pre-keys of each kind the relay holds for this device.</summary>
    internal async Task<Api.PreKeyCount> GetPreKeyCountAsync(CancellationToken cancellationToken) =>
        (await CallOrRefuseAsync("GetPreKeyCount", options => _keys.GetPreKeyCountAsync(new Api.GetPreKeyCountRequest(), options).ResponseAsync, cancellationToken).ConfigureAwait(false)).Count
        ?? new Api.PreKeyCount();

    /// <summary>Refills when enough pre-key messages arrived since the last check that the threshold may have been crossed.</summary>
    private async Task RefillIfDueAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _preKeyMessagesSinceRefill) > 0)
        {
            await RefillPreKeysAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private int Missing(uint held) => held < (uint)_options.OneTimePreKeyThreshold ? _options.OneTimePreKeyTarget - (int)Math.Min(held, (uint)_options.OneTimePreKeyTarget) : 0;

    private async Task AddOneTimeKeysAsync(Api.PublishPreKeysRequest request, int x25519, int kem, CancellationToken cancellationToken)
    {
        if (x25519 > 0)
        {
            uint first = _state.ReserveIds(PreKeyIdKind.OneTime, x25519);
            for (uint id = first; id < first + (uint)x25519; id++)
            {
                using OneTimePreKey key = OneTimePreKey.Generate(id);
                await _store.SaveOneTimePreKeyAsync(key, cancellationToken).ConfigureAwait(false);
                request.OneTimePrekeys.Add(new Api.OneTimePreKey { Id = key.Id, PublicKey = ByteString.CopyFrom(key.PublicKey) });
            }
        }

        if (kem > 0)
        {
            uint first = _state.ReserveIds(PreKeyIdKind.Kem, kem);
            for (uint id = first; id < first + (uint)kem; id++)
            {
                using KemPreKey key = KemPreKey.Generate(_identity, id, KemPreKeyKind.OneTime);
                await _store.SaveKemPreKeyAsync(key, cancellationToken).ConfigureAwait(false);
                request.OneTimeKemPrekeys.Add(KemMessage(key));
            }
        }
    }

    private static Api.KemPreKey KemMessage(KemPreKey key) =>
        new() { Id = key.Id, PublicKey = ByteString.CopyFrom(key.PublicKey), Signature = ByteString.CopyFrom(key.Signature) };
}
