using System.Text;

namespace E2eChat.Cli.Vectors;

/// <summary>
/// <c>contact-links.json</c>: signed contact links with their URIs, links a reader must refuse with
/// their <see cref="E2eChatFailure"/>, and a client opening links (PROTOCOL.md 15).
/// </summary>
internal sealed class ContactLinkVectors() : SynchronousVectorSuite(File)
{
    private const string File = "contact-links.json";
    private const string Shop = "acme-shoes";
    private const string Host = "acme.example";
    private const ulong IssuedAt = VectorClock.Start;
    private const ulong ExpiresAt = IssuedAt + (30UL * 24 * 60 * 60 * 1000);

    /// <inheritdoc/>
    private protected override List<JsonObject> Generate()
    {
        using DeterministicRandomSource random = VectorSeeds.For(File, "keys");
        byte[] seed = random.Draw(AccountKeyPair.PrivateKeyLength);
        byte[] otherSeed = random.Draw(AccountKeyPair.PrivateKeyLength);
        byte[] referral = random.Draw(ProtocolLimits.MaxReferralLength);
        using var key = AccountKeyPair.Import(seed);
        using var otherKey = AccountKeyPair.Import(otherSeed);
        var vectors = new List<JsonObject>
        {
            Positive("contact_link_minimal", seed, Link(Shop, "ACME Shoes", IssuedAt, ExpiresAt)),
            Positive("contact_link_campaign", seed, Link(Shop, "ACME Shoes · Köln", IssuedAt, ExpiresAt, "Hi! I saw your ad for the Trail Runner 2 👟 — is it in stock?", referral[..12], 2 | 4)),
            Positive("contact_link_longest_fields", seed, Link(new string('z', 64), new string('d', 62) + "é", (1UL << 53) - 2, (1UL << 53) - 1, string.Concat(Enumerable.Repeat("😀", ContactLink.MaxPrefilledTextLength)), referral, ContactLink.AllowedScopes)),
        };
        AddInvalid(vectors, key, otherKey);
        AddOpens(vectors, key, otherKey);
        return vectors;
    }

    /// <inheritdoc/>
    private protected override void Verify(string kind, string name, JsonObject vector)
    {
        switch (kind)
        {
            case "contact_link":
                Expect.Equal("host", Host, VectorJson.String(vector, "host"));
                Outputs.Compare(vector, Positive(name, VectorJson.Bytes(vector, "account_key_seed"), VectorJson.Object(vector, "link")));
                break;
            case "contact_link_invalid":
                Outputs.Compare(vector, Invalid(name, VectorJson.Bytes(vector, "signed")));
                break;
            case "contact_link_open":
            case "contact_link_open_invalid":
                Outputs.Compare(vector, Open(name, VectorJson.String(vector, "uri"), VectorJson.UInt64(vector, "now_ms"), VectorJson.Bytes(vector, "directory_account_key")));
                break;
            default:
                throw UnknownKind(kind);
        }
    }

    private static JsonObject Link(string account, string displayName, ulong issuedAt, ulong expiresAt, string? prefilled = null, byte[]? referral = null, uint scopes = 0)
    {
        var link = new JsonObject { ["account"] = account, ["display_name"] = displayName };
        if (prefilled is not null)
        {
            link["prefilled_text"] = prefilled;
        }

        if (referral is not null)
        {
            link["referral"] = Hex.Encode(referral);
        }

        if (scopes != 0)
        {
            link["scopes"] = scopes;
        }

        link["issued_at_ms"] = issuedAt;
        link["expires_at_ms"] = expiresAt;
        return link;
    }

    private static ContactLink FromJson(JsonObject json, AccountKey key) => new(
        VectorJson.String(json, "account"),
        VectorJson.String(json, "display_name"),
        key,
        VectorJson.UInt64(json, "issued_at_ms"),
        VectorJson.UInt64(json, "expires_at_ms"),
        json.ContainsKey("prefilled_text") ? VectorJson.String(json, "prefilled_text") : null,
        json.ContainsKey("referral") ? VectorJson.Bytes(json, "referral") : default,
        json.ContainsKey("scopes") ? VectorJson.UInt32(json, "scopes") : 0);

    private static JsonObject Positive(string name, byte[] seed, JsonObject linkJson)
    {
        using var key = AccountKeyPair.Import(seed);
        SignedContactLink signed = SignedContactLink.Sign(key, FromJson(linkJson, key.PublicKey));
        byte[] linkBytes = ContactLinkCodec.WriteLink(signed.Link);
        foreach (string uri in new[] { signed.ToUri(), signed.ToWebUri(Host) })
        {
            Expect.True(SignedContactLink.TryParseUri(uri, out SignedContactLink? read, out E2eChatFailure failure), $"{uri}: {failure}");
            Expect.Equal("link read back", linkBytes, ContactLinkCodec.WriteLink(read!.Link));
        }

        return new JsonObject
        {
            ["name"] = name,
            ["kind"] = "contact_link",
            ["account_key_seed"] = Hex.Encode(seed),
            ["link"] = linkJson.DeepClone(),
            ["host"] = Host,
            ["account_key"] = Hex.Encode(key.PublicKey.AsSpan()),
            ["link_bytes"] = Hex.Encode(linkBytes),
            ["signature"] = Hex.Encode(signed.AsSpan()[^Ed25519.SignatureLength..]),
            ["signed"] = Hex.Encode(signed.AsSpan()),
            ["uri"] = signed.ToUri(),
            ["web_uri"] = signed.ToWebUri(Host),
        };
    }

    private static JsonObject Invalid(string name, byte[] signed)
    {
        SignedContactLink.TryRead(signed, out _, out E2eChatFailure failure);
        return VectorJson.Refused(name, "contact_link_invalid", "signed", signed, failure.ToString());
    }

    private static JsonObject Open(string name, string uri, ulong now, byte[] directoryKey)
    {
        var vector = new JsonObject
        {
            ["name"] = name,
            ["kind"] = "contact_link_open",
            ["uri"] = uri,
            ["now_ms"] = now,
            ["directory_account_key"] = Hex.Encode(directoryKey),
        };
        if (SignedContactLink.TryOpen(uri, now, out SignedContactLink? link, out E2eChatFailure failure) && !link.Link.AccountKey.AsSpan().SequenceEqual(directoryKey))
        {
            failure = E2eChatFailure.AccountKeyMismatch;
        }

        if (failure != E2eChatFailure.None)
        {
            vector["kind"] = "contact_link_open_invalid";
            vector["failure"] = failure.ToString();
        }
        else
        {
            vector["link_bytes"] = Hex.Encode(ContactLinkCodec.WriteLink(link!.Link));
        }

        return vector;
    }

    private static byte[] Signed(AccountKeyPair key, byte[] link) => ContactLinkCodec.WriteSigned(link, key.Sign(ProtocolLabels.ContactLink, link));

    private static RecordWriter Fields(string? account = Shop, string? display = "ACME Shoes", byte[]? key = null, bool withKey = true) =>
        new RecordWriter().String(1, account).String(2, display).Bytes(3, withKey ? key ?? [] : []);

    private static void AddInvalid(List<JsonObject> vectors, AccountKeyPair key, AccountKeyPair otherKey)
    {
        void Add(string name, E2eChatFailure failure, byte[] signed) => vectors.Add(Expect.Fails(Invalid(name, signed), failure.ToString()));
        byte[] pk = key.PublicKey.ToBytes();
        byte[] Times(RecordWriter w, ulong issued = IssuedAt, ulong expires = ExpiresAt) => w.Varint(7, issued).Varint(8, expires).ToArray();
        void AddLink(string name, E2eChatFailure failure, byte[] link) => Add(name, failure, Signed(key, link));

        byte[] link = Times(Fields(key: pk));
        byte[] valid = Signed(key, link);
        byte[] signature = valid[^Ed25519.SignatureLength..];

        Add("contact_link_invalid_too_large", E2eChatFailure.TooLarge, Signed(key, [.. link, .. new RecordWriter().Bytes(9, new byte[ProtocolLimits.MaxSignedContactLinkLength]).ToArray()]));
        Add("contact_link_invalid_truncated", E2eChatFailure.Truncated, valid[..^1]);
        Add("contact_link_invalid_unknown_field", E2eChatFailure.UnknownField, [.. valid, .. new RecordWriter().Varint(3, 1).ToArray()]);
        Add("contact_link_invalid_duplicate_signature", E2eChatFailure.DuplicateField, [.. valid, .. new RecordWriter().Bytes(2, signature).ToArray()]);
        Add("contact_link_invalid_missing_link", E2eChatFailure.MissingLink, new RecordWriter().Bytes(2, signature).ToArray());
        Add("contact_link_invalid_signature_63_bytes", E2eChatFailure.InvalidSignatureLength, new RecordWriter().Bytes(1, link).Bytes(2, signature.AsSpan(0, 63)).ToArray());
        Add("contact_link_invalid_missing_signature", E2eChatFailure.InvalidSignatureLength, new RecordWriter().Bytes(1, link).ToArray());
        byte[] changed = Times(Fields(key: pk), IssuedAt, ExpiresAt + 1);
        Add("contact_link_invalid_expiry_extended_after_signing", E2eChatFailure.BadSignature, new RecordWriter().Bytes(1, changed).Bytes(2, signature).ToArray());
        Add("contact_link_invalid_resigned_by_another_key", E2eChatFailure.BadSignature, Signed(otherKey, link));
        Add("contact_link_invalid_other_key_named_own_signature", E2eChatFailure.BadSignature, Signed(key, Times(Fields(key: otherKey.PublicKey.ToBytes()))));
        Add("contact_link_invalid_signed_with_device_list_label", E2eChatFailure.BadSignature, ContactLinkCodec.WriteSigned(link, key.Sign(ProtocolLabels.DeviceList, link)));

        AddLink("contact_link_invalid_account_upper_case", E2eChatFailure.InvalidAccount, Times(Fields("ACME", key: pk)));
        AddLink("contact_link_invalid_missing_account", E2eChatFailure.InvalidAccount, Times(Fields(null, key: pk)));
        AddLink("contact_link_invalid_display_name_65_bytes", E2eChatFailure.InvalidDisplayName, Times(Fields(display: new string('d', 65), key: pk)));
        AddLink("contact_link_invalid_display_name_not_utf8", E2eChatFailure.InvalidDisplayName, Times(new RecordWriter().String(1, Shop).Bytes(2, [0x41, 0xff]).Bytes(3, pk)));
        AddLink("contact_link_invalid_missing_display_name", E2eChatFailure.InvalidDisplayName, Times(Fields(display: null, key: pk)));
        AddLink("contact_link_invalid_account_key_31_bytes", E2eChatFailure.InvalidAccountKey, Times(Fields(key: pk[..31])));
        AddLink("contact_link_invalid_missing_account_key", E2eChatFailure.InvalidAccountKey, Times(Fields(withKey: false)));
        AddLink("contact_link_invalid_prefilled_141_characters", E2eChatFailure.InvalidPrefilledText, Times(Fields(key: pk).String(4, new string('a', 141))));
        AddLink("contact_link_invalid_prefilled_not_utf8", E2eChatFailure.InvalidPrefilledText, Times(Fields(key: pk).Bytes(4, [0xe2, 0x82])));
        AddLink("contact_link_invalid_referral_65_bytes", E2eChatFailure.InvalidReferral, Times(Fields(key: pk).Bytes(5, new byte[65])));
        AddLink("contact_link_invalid_scopes_service", E2eChatFailure.InvalidScopes, Times(Fields(key: pk).Varint(6, 1)));
        AddLink("contact_link_invalid_scopes_unknown_bit", E2eChatFailure.InvalidScopes, Times(Fields(key: pk).Varint(6, 16)));
        AddLink("contact_link_invalid_scopes_over_32_bits", E2eChatFailure.MalformedVarint, Times(Fields(key: pk).Varint(6, 1UL << 32)));
        AddLink("contact_link_invalid_missing_issued_at", E2eChatFailure.MissingIssuedAt, Fields(key: pk).Varint(8, ExpiresAt).ToArray());
        AddLink("contact_link_invalid_missing_expiry", E2eChatFailure.MissingExpiry, Fields(key: pk).Varint(7, IssuedAt).ToArray());
        AddLink("contact_link_invalid_expiry_equals_issue", E2eChatFailure.InvalidExpiry, Times(Fields(key: pk), IssuedAt, IssuedAt));
        AddLink("contact_link_invalid_expiry_before_issue", E2eChatFailure.InvalidExpiry, Times(Fields(key: pk), IssuedAt, IssuedAt - 1));
        AddLink("contact_link_invalid_fields_out_of_order", E2eChatFailure.FieldsOutOfOrder, [.. Times(Fields(key: pk)), .. new RecordWriter().Bytes(5, [1]).ToArray()]);
    }

    private static void AddOpens(List<JsonObject> vectors, AccountKeyPair key, AccountKeyPair otherKey)
    {
        var link = new ContactLink(Shop, "ACME Shoes", key.PublicKey, IssuedAt, ExpiresAt, "Hello", Encoding.ASCII.GetBytes("ad-2026-12"), 4);
        SignedContactLink signed = SignedContactLink.Sign(key, link);
        string payload = signed.ToUri()[SignedContactLink.UriPrefix.Length..];
        byte[] pk = key.PublicKey.ToBytes();
        byte[] other = otherKey.PublicKey.ToBytes();
        byte[] tampered = signed.AsSpan().ToArray();
        tampered[10] ^= 0x01;

        void Add(string name, string uri, ulong now, byte[] directoryKey, E2eChatFailure expected)
        {
            JsonObject vector = Open(name, uri, now, directoryKey);
            Expect.Failure(expected.ToString(), vector.ContainsKey("failure") ? VectorJson.String(vector, "failure") : "None");
            vectors.Add(vector);
        }

        // A payload whose last character carries nonzero unused bits decodes to the same bytes but is not canonical.
        char last = payload[^1];
        string nonCanonical = payload.Length % 4 != 0 ? payload[..^1] + (char)(last + 1) : payload + "A";

        Add("contact_link_open_app_uri", signed.ToUri(), IssuedAt + 1, pk, E2eChatFailure.None);
        Add("contact_link_open_web_uri_last_millisecond", signed.ToWebUri(Host), ExpiresAt - 1, pk, E2eChatFailure.None);
        Add("contact_link_open_invalid_expired", signed.ToUri(), ExpiresAt, pk, E2eChatFailure.Expired);
        Add("contact_link_open_invalid_directory_swapped_key", signed.ToWebUri(Host), IssuedAt + 1, other, E2eChatFailure.AccountKeyMismatch);
        Add("contact_link_open_invalid_tampered", SignedContactLink.UriPrefix + Convert.ToBase64String(tampered).TrimEnd('=').Replace('+', '-').Replace('/', '_'), IssuedAt + 1, pk, E2eChatFailure.BadSignature);
        Add("contact_link_open_invalid_padding", signed.ToUri() + "=", IssuedAt + 1, pk, E2eChatFailure.InvalidUri);
        Add("contact_link_open_invalid_standard_base64_alphabet", SignedContactLink.UriPrefix + payload.Replace('-', '+').Replace('_', '/') + (payload.Contains('-') || payload.Contains('_') ? string.Empty : "+"), IssuedAt + 1, pk, E2eChatFailure.InvalidUri);
        Add("contact_link_open_invalid_non_canonical_payload", SignedContactLink.UriPrefix + nonCanonical, IssuedAt + 1, pk, E2eChatFailure.InvalidUri);
        Add("contact_link_open_invalid_upper_case_host", $"https://ACME.example/c/{payload}", IssuedAt + 1, pk, E2eChatFailure.InvalidUri);
        Add("contact_link_open_invalid_http", $"http://{Host}/c/{payload}", IssuedAt + 1, pk, E2eChatFailure.InvalidUri);
        Add("contact_link_open_invalid_other_scheme_path", $"e2echat:x/{payload}", IssuedAt + 1, pk, E2eChatFailure.InvalidUri);
        Add("contact_link_open_invalid_empty_payload", SignedContactLink.UriPrefix, IssuedAt + 1, pk, E2eChatFailure.MissingLink);
    }
}
