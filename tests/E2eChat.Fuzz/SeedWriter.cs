using E2eChat.Crypto;
using Api = E2eChat.Relay.Server.Api;
using E2eChat.Relay.Server.Auth;
using E2eChat.Wire;
using Google.Protobuf;

namespace E2eChat.Fuzz;

/// <summary>
/// Writes the seed corpora of the record and request targets (<c>E2eChat.Fuzz seeds &lt;corpus dir&gt;</c>),
/// deterministically: valid inputs made by the library's own writers and signed with
/// <see cref="FuzzKeys.Account"/>, so that the fuzzer starts past the signature checks.
/// </summary>
internal static class SeedWriter
{
    private const ulong IssuedAt = 1_767_225_600_000;
    private const ulong Day = 86_400_000;

    /// <summary>Writes every seed into <paramref name="corpus"/>/&lt;target&gt;/.</summary>
    /// <param name="corpus">The corpus directory.</param>
    internal static void Write(string corpus)
    {
        using var random = new DeterministicRandomSource([.. Enumerable.Repeat((byte)0x5D, 32)]);
        using IdentityKeyPair first = IdentityKeyPair.Generate(random);
        using IdentityKeyPair second = IdentityKeyPair.Generate(random);
        var list = new DeviceList("acme.support", AccountKind.Business, 3, IssuedAt, [
            new DeviceEntry(1, first.PublicKey, "Front desk", DeviceRole.Agent),
            new DeviceEntry(7, second.PublicKey, "Bot", DeviceRole.Hosted, "cloud.example"),
        ]);
        byte[] listBody = DeviceListCodec.WriteList(list);
        byte[] signedList = SignedDeviceList.Sign(FuzzKeys.Account, list).ToBytes();
        Save(corpus, "device_list", "signed", signedList);
        Save(corpus, "device_list", "body", listBody);
        Save(corpus, "device_list", "person_body", DeviceListCodec.WriteList(new DeviceList("alice", AccountKind.Person, 1, IssuedAt, [new DeviceEntry(2, first.PublicKey, "Phone", DeviceRole.Agent)])));

        var link = new ContactLink("acme.support", "Acme Support", FuzzKeys.Account.PublicKey, IssuedAt, IssuedAt + (30 * Day), "Hello, I have a question", [0x72, 0x65, 0x66], 6);
        byte[] signedLink = SignedContactLink.Sign(FuzzKeys.Account, link).AsSpan().ToArray();
        Save(corpus, "contact_link", "signed", signedLink);
        Save(corpus, "contact_link", "body", ContactLinkCodec.WriteLink(link));
        Save(corpus, "contact_link", "minimal_body", ContactLinkCodec.WriteLink(new ContactLink("shop", "Shop", FuzzKeys.Account.PublicKey, IssuedAt, IssuedAt + Day)));

        byte[] signedConsent = [];
        foreach ((string name, ConsentAction action, ConsentScopes scopes, ulong serial, ulong expires) in new[]
        {
            ("grant", ConsentAction.Grant, (ConsentScopes)3, 1UL, IssuedAt + (365 * Day)),
            ("revoke", ConsentAction.Revoke, ConsentScopes.None, 2UL, 0UL),
            ("block", ConsentAction.Block, ConsentScopes.None, 3UL, 0UL),
            ("unblock", ConsentAction.Unblock, ConsentScopes.None, 4UL, 0UL),
        })
        {
            byte[] body = WireConsentRecord.WriteRecord(new ConsentRecord("alice", "acme.support", action, scopes, serial, IssuedAt, expires));
            byte[] signed = WireConsentRecord.WriteSigned(FuzzKeys.Account.PublicKey.AsSpan(), body, FuzzKeys.Account.Sign(WireConsentRecord.Label, body));
            Save(corpus, "consent_record", name + "_body", body);
            Save(corpus, "consent_record", name + "_signed", signed);
            signedConsent = action == ConsentAction.Block ? signed : signedConsent;
        }

        var message = new ApplicationMessage("Your order has shipped"u8, 2, "campaign-7"u8);
        Save(corpus, "content", "message", Content.FromMessage(message).ToBytes());
        Save(corpus, "content", "plain_message", Content.FromMessage(new ApplicationMessage("hi"u8)).ToBytes());
        Save(corpus, "content", "receipt", Content.FromReceipt(new Receipt(ReceiptType.Read, new byte[16])).ToBytes());
        Save(corpus, "content", "sync", Content.FromSync(new SyncMessage("acme.support", AccountKind.Business, new ApplicationMessage("thanks"u8))).ToBytes());
        Save(corpus, "content", "device_list", Content.FromDeviceList(SignedDeviceList.Sign(FuzzKeys.Account, list)).ToBytes());
        Save(corpus, "content", "consent", Content.FromRecord(ContentKind.Consent, signedConsent).ToBytes());

        byte[] envelope = File.ReadAllBytes(Path.Combine(corpus, "envelope", "valid0"));
        SaveRequest(corpus, "send", new Api.SendRequest { Envelopes = { ByteString.CopyFrom(envelope), ByteString.CopyFrom(envelope.AsSpan(1)) } });
        SaveRequest(corpus, "post", new Api.PostRequest { Envelope = ByteString.CopyFrom(envelope), Audience = { new Api.DeviceAddress { Name = "bob", Device = 2 } } });
        SaveRequest(corpus, "publish_device_list", new Api.PublishDeviceListRequest { SignedList = ByteString.CopyFrom(signedList) });
        SaveRequest(corpus, "submit_consent", new Api.SubmitConsentRequest { SignedRecord = ByteString.CopyFrom(signedConsent) });
        SaveRequest(corpus, "get_device_list", new Api.GetDeviceListRequest { Account = "acme.support" });
        SaveRequest(corpus, "fetch_bundles", new Api.FetchBundlesRequest { Name = "alice", Device = 0 });
        SaveRequest(corpus, "get_usage", new Api.GetUsageRequest { Account = "acme.support", FromDay = 20_000, ToDay = 20_030 });
        SaveRequest(corpus, "receive", new Api.ReceiveRequest { Ack = new Api.Acknowledge { Sequences = { 1, 2, 300 }, Trimmed = 1 } });
        SaveRequest(corpus, "authenticate", new Api.AuthenticateRequest { Device = new Api.DeviceAddress { Name = "alice", Device = 1 }, IdentityKey = ByteString.CopyFrom(new byte[128]), Challenge = ByteString.CopyFrom(new byte[40]), Signature = ByteString.CopyFrom(new byte[64]) });
        SaveRequest(corpus, "publish_prekeys", PreKeyUpload(random));
    }

    private static Api.PublishPreKeysRequest PreKeyUpload(RandomSource random)
    {
        byte[] secret = new byte[32];
        random.Fill(secret);
        byte[] publicKey = new byte[32];
        X25519.DerivePublicKey(secret, publicKey);
        byte[] body = [0, 0, 0, 1, .. publicKey];
        var request = new Api.PublishPreKeysRequest
        {
            SignedPrekey = new Api.SignedPreKey { Id = 1, PublicKey = ByteString.CopyFrom(publicKey), Signature = ByteString.CopyFrom(FuzzKeys.Account.Sign(SignatureLabels.SignedPreKey, body)) },
        };
        request.OneTimePrekeys.Add(new Api.OneTimePreKey { Id = 2, PublicKey = ByteString.CopyFrom(publicKey) });
        return request;
    }

    private static void SaveRequest<T>(string corpus, string name, T request)
        where T : IMessage<T>, new() =>
        Save(corpus, "relay_request", name, [RelayRequestTarget.Selector<T>(), .. request.ToByteArray()]);

    private static void Save(string corpus, string target, string name, byte[] bytes)
    {
        string directory = Path.Combine(corpus, target);
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, name), bytes);
    }
}
