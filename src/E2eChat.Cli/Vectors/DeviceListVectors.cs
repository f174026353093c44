using E2eChat.Wire;

namespace E2eChat.Cli.Vectors;

/// <summary>
/// <c>device-lists.json</c>: signed device lists, lists a reader must refuse with their
/// <see cref="E2eChatFailure"/>, and a client's accepting of a new list (PROTOCOL.md 14).
/// </summary>
internal sealed class DeviceListVectors() : SynchronousVectorSuite(File)
{
    private const string File = "device-lists.json";
    private const string Shop = "acme-shoes";
    private const ulong IssuedAt = VectorClock.Start;

    /// <inheritdoc/>
    private protected override List<JsonObject> Generate()
    {
        using DeterministicRandomSource random = VectorSeeds.For(File, "keys");
        byte[] seed = random.Draw(AccountKeyPair.PrivateKeyLength);
        byte[] otherSeed = random.Draw(AccountKeyPair.PrivateKeyLength);
        IdentityKey[] identities = [.. Enumerable.Range(0, 66).Select(_ => DrawIdentity(random))];
        using var key = AccountKeyPair.Import(seed);
        using var otherKey = AccountKeyPair.Import(otherSeed);
        var vectors = new List<JsonObject>();

        JsonObject ListJson(string account, AccountKind kind, ulong version, params JsonObject[] devices) => new()
        {
            ["account"] = account,
            ["kind"] = (uint)kind,
            ["version"] = version,
            ["issued_at_ms"] = version > 100 ? version - 1 : IssuedAt + version,
            ["devices"] = new JsonArray([.. devices]),
        };
        JsonObject Entry(uint device, string label, DeviceRole role, string? processor = null)
        {
            var entry = new JsonObject
            {
                ["device"] = device,
                ["identity"] = Hex.Encode(identities[device % identities.Length].AsSpan()),
                ["label"] = label,
                ["role"] = (uint)role,
            };
            if (processor is not null)
            {
                entry["processor"] = processor;
            }

            return entry;
        }

        JsonObject v1 = ListJson(Shop, AccountKind.Business, 1, Entry(1, "Sam", DeviceRole.Agent), Entry(2, "Priya", DeviceRole.Agent), Entry(3, "Returns bot", DeviceRole.Automation));
        JsonObject v2 = ListJson(Shop, AccountKind.Business, 2, Entry(1, "Sam", DeviceRole.Agent), Entry(3, "Returns bot", DeviceRole.Automation), Entry(4, "Lena", DeviceRole.Agent));
        JsonObject hosted = ListJson(Shop, AccountKind.Business, 3, Entry(1, "Sam", DeviceRole.Agent), Entry(5, "Night shift", DeviceRole.Hosted, "Helpdesk Hosting GmbH"), Entry(6, "Übersetzung", DeviceRole.Hosted, "Übersetzungsbüro Köln"), Entry(7, "Weekend", DeviceRole.Hosted, "Helpdesk Hosting GmbH"));
        JsonObject person = ListJson("alice", AccountKind.Person, 1, Entry(1, "Alice's phone", DeviceRole.Agent));
        JsonObject largest = ListJson(
            new string('z', ProtocolAddress.MaxNameLength),
            AccountKind.Business,
            (1UL << 53) - 1,
            [.. Enumerable.Range(1, DeviceList.MaxDevices).Select(i => Entry((uint)(i * 3), new string('l', 60) + $"{i,4}", DeviceRole.Hosted, new string('p', 62) + "\u00e9"))]);

        vectors.Add(Positive("device_list_business_agents_and_bot", seed, v1));
        vectors.Add(Positive("device_list_business_next_version", seed, v2));
        vectors.Add(Positive("device_list_business_hosted_processors", seed, hosted));
        vectors.Add(Positive("device_list_person_one_device", seed, person));
        vectors.Add(Positive("device_list_64_devices_longest_fields", seed, largest));

        AddInvalid(vectors, key, otherKey, identities);
        AddUpdates(vectors, key, otherKey, v1, v2, person, identities);
        return vectors;
    }

    /// <inheritdoc/>
    private protected override void Verify(string kind, string name, JsonObject vector)
    {
        switch (kind)
        {
            case "device_list":
                Outputs.Compare(vector, Positive(name, VectorJson.Bytes(vector, "account_key_seed"), VectorJson.Object(vector, "list")));
                break;
            case "device_list_invalid":
                Outputs.Compare(vector, Invalid(name, VectorJson.Bytes(vector, "signed")));
                break;
            case "device_list_update":
            case "device_list_update_invalid":
                Outputs.Compare(vector, Update(name, VectorJson.String(vector, "account"), VectorJson.Bytes(vector, "current"), VectorJson.Bytes(vector, "next")));
                break;
            default:
                throw UnknownKind(kind);
        }
    }

    private static IdentityKey DrawIdentity(RandomSource random)
    {
        using IdentityKeyPair pair = IdentityKeyPair.Generate(random);
        return pair.PublicKey;
    }

    private static DeviceList FromJson(JsonObject json) => new(
        VectorJson.String(json, "account"),
        (AccountKind)VectorJson.UInt32(json, "kind"),
        VectorJson.UInt64(json, "version"),
        VectorJson.UInt64(json, "issued_at_ms"),
        VectorJson.Array(json, "devices").OfType<JsonObject>().Select(e => new DeviceEntry(
            VectorJson.UInt32(e, "device"),
            IdentityKey.Parse(VectorJson.Bytes(e, "identity")),
            VectorJson.String(e, "label"),
            (DeviceRole)VectorJson.UInt32(e, "role"),
            e.ContainsKey("processor") ? VectorJson.String(e, "processor") : null)));

    private static JsonObject Positive(string name, byte[] seed, JsonObject listJson)
    {
        using var key = AccountKeyPair.Import(seed);
        SignedDeviceList signed = SignedDeviceList.Sign(key, FromJson(listJson));
        Expect.True(SignedDeviceList.TryRead(signed.AsSpan(), out SignedDeviceList? read, out E2eChatFailure failure), $"the signed list is refused: {failure}");
        byte[] listBytes = DeviceListCodec.WriteList(read!.List);
        Expect.Equal("list read back", DeviceListCodec.WriteList(signed.List), listBytes);
        return new JsonObject
        {
            ["name"] = name,
            ["kind"] = "device_list",
            ["account_key_seed"] = Hex.Encode(seed),
            ["list"] = listJson.DeepClone(),
            ["account_key"] = Hex.Encode(key.PublicKey.AsSpan()),
            ["list_bytes"] = Hex.Encode(listBytes),
            ["signature"] = Hex.Encode(signed.AsSpan()[^Ed25519.SignatureLength..]),
            ["signed"] = Hex.Encode(signed.AsSpan()),
            ["end_to_end"] = BusinessInfo.Describe(read.List),
        };
    }

    private static JsonObject Invalid(string name, byte[] signed)
    {
        SignedDeviceList.TryRead(signed, out _, out E2eChatFailure failure);
        return VectorJson.Refused(name, "device_list_invalid", "signed", signed, failure.ToString());
    }

    private static JsonObject Update(string name, string account, byte[] current, byte[] next)
    {
        var vector = new JsonObject
        {
            ["name"] = name,
            ["kind"] = "device_list_update",
            ["account"] = account,
            ["current"] = Hex.Encode(current),
            ["next"] = Hex.Encode(next),
        };
        SignedDeviceList? stored = null;
        if (current.Length > 0 && !SignedDeviceList.TryRead(current, out stored, out E2eChatFailure currentFailure))
        {
            throw new VectorFormatException($"current: not a valid list ({currentFailure})");
        }

        IReadOnlyList<DeviceEntry> added = [];
        IReadOnlyList<DeviceEntry> removed = [];
        if (!SignedDeviceList.TryRead(next, out SignedDeviceList? received, out E2eChatFailure failure))
        {
            vector["kind"] = "device_list_update_invalid";
            vector["failure"] = failure.ToString();
            return vector;
        }

        failure = DeviceListRules.Check(account, stored, received, out added, out removed);
        if (failure != E2eChatFailure.None)
        {
            vector["kind"] = "device_list_update_invalid";
            vector["failure"] = failure.ToString();
            return vector;
        }

        vector["added"] = new JsonArray([.. added.Select(d => JsonValue.Create(d.Device))]);
        vector["removed"] = new JsonArray([.. removed.Select(d => JsonValue.Create(d.Device))]);
        vector["stored"] = Hex.Encode(stored is not null && received.List.Version == stored.List.Version ? current : next);
        return vector;
    }

    private static byte[] Sign(AccountKeyPair key, byte[] list) =>
        DeviceListCodec.WriteSigned(key.PublicKey.AsSpan(), list, key.Sign(ProtocolLabels.DeviceList, list));

    private static byte[] EntryBytes(uint? device, IdentityKey? identity, string? label, ulong? role, string? processor, params byte[][] extra) =>
        [.. new RecordWriter().Varint(1, device ?? 0).Bytes(2, identity is null ? [] : identity.AsSpan()).String(3, label).Varint(4, role ?? 0).String(5, processor).ToArray(), .. extra.SelectMany(x => x)];

    private static byte[] ListBytes(string? account, ulong kind, ulong version, ulong issuedAt, params byte[][] entries)
    {
        RecordWriter writer = new RecordWriter().String(1, account).Varint(2, kind).Varint(3, version).Varint(4, issuedAt);
        foreach (byte[] entry in entries)
        {
            writer.Message(5, entry);
        }

        return writer.ToArray();
    }

    private static void AddInvalid(List<JsonObject> vectors, AccountKeyPair key, AccountKeyPair otherKey, IdentityKey[] ids)
    {
        void Add(string name, E2eChatFailure failure, byte[] signed) => vectors.Add(Expect.Fails(Invalid(name, signed), failure.ToString()));
        byte[] Entry(uint device) => EntryBytes(device, ids[device], "Agent " + device, 1, null);
        byte[] List(params byte[][] entries) => ListBytes(Shop, 2, 5, IssuedAt, entries);
        void AddList(string name, E2eChatFailure failure, byte[] list) => Add(name, failure, Sign(key, list));

        byte[] list = List(Entry(1), Entry(2));
        byte[] valid = Sign(key, list);
        byte[] signature = key.Sign(ProtocolLabels.DeviceList, list);
        byte[] accountKey = key.PublicKey.ToBytes();
        RecordWriter Outer() => new();

        // Size and encoding of the SignedDeviceList.
        Add("device_list_invalid_too_large", E2eChatFailure.TooLarge, Sign(key, [.. list, .. new RecordWriter().Bytes(9, new byte[ProtocolLimits.MaxSignedDeviceListLength]).ToArray()]));
        Add("device_list_invalid_truncated", E2eChatFailure.Truncated, valid[..^1]);
        Add("device_list_invalid_unknown_field", E2eChatFailure.UnknownField, [.. valid, .. new RecordWriter().Varint(4, 1).ToArray()]);
        Add("device_list_invalid_duplicate_signature", E2eChatFailure.DuplicateField, [.. valid, .. new RecordWriter().Bytes(3, signature).ToArray()]);
        Add("device_list_invalid_fields_out_of_order", E2eChatFailure.FieldsOutOfOrder, [.. valid, .. new RecordWriter().Bytes(2, list).ToArray()]);
        Add("device_list_invalid_account_key_varint", E2eChatFailure.WrongWireType, [.. new RecordWriter().Varint(1, 7).ToArray(), .. new RecordWriter().Bytes(2, list).Bytes(3, signature).ToArray()]);
        Add("device_list_invalid_account_key_31_bytes", E2eChatFailure.InvalidAccountKey, Outer().Bytes(1, accountKey.AsSpan(0, 31)).Bytes(2, list).Bytes(3, signature).ToArray());
        Add("device_list_invalid_missing_account_key", E2eChatFailure.InvalidAccountKey, Outer().Bytes(2, list).Bytes(3, signature).ToArray());
        Add("device_list_invalid_missing_list", E2eChatFailure.MissingList, Outer().Bytes(1, accountKey).Bytes(3, signature).ToArray());
        Add("device_list_invalid_empty_list_written", E2eChatFailure.DefaultValueWritten, Outer().Bytes(1, accountKey).Message(2, []).Bytes(3, signature).ToArray());
        Add("device_list_invalid_signature_63_bytes", E2eChatFailure.InvalidSignatureLength, Outer().Bytes(1, accountKey).Bytes(2, list).Bytes(3, signature.AsSpan(0, 63)).ToArray());
        Add("device_list_invalid_missing_signature", E2eChatFailure.InvalidSignatureLength, Outer().Bytes(1, accountKey).Bytes(2, list).ToArray());

        // Signatures: checked before the list is read.
        byte[] changed = (byte[])list.Clone();
        changed[^1] ^= 0x01;
        Add("device_list_invalid_list_changed_after_signing", E2eChatFailure.BadSignature, Outer().Bytes(1, accountKey).Bytes(2, changed).Bytes(3, signature).ToArray());
        Add("device_list_invalid_signed_by_another_key", E2eChatFailure.BadSignature, Outer().Bytes(1, accountKey).Bytes(2, list).Bytes(3, otherKey.Sign(ProtocolLabels.DeviceList, list)).ToArray());
        Add("device_list_invalid_signed_with_contact_link_label", E2eChatFailure.BadSignature, Outer().Bytes(1, accountKey).Bytes(2, list).Bytes(3, key.Sign(ProtocolLabels.ContactLink, list)).ToArray());
        Add("device_list_invalid_garbage_signed", E2eChatFailure.Truncated, Sign(key, [0x0a, 0x05, 0x61]));

        // DeviceList fields.
        AddList("device_list_invalid_account_upper_case", E2eChatFailure.InvalidAccount, ListBytes("Acme", 2, 5, IssuedAt, Entry(1)));
        AddList("device_list_invalid_missing_account", E2eChatFailure.InvalidAccount, ListBytes(null, 2, 5, IssuedAt, Entry(1)));
        AddList("device_list_invalid_kind_3", E2eChatFailure.InvalidAccountKind, ListBytes(Shop, 3, 5, IssuedAt, Entry(1)));
        AddList("device_list_invalid_missing_version", E2eChatFailure.MissingVersion, ListBytes(Shop, 2, 0, IssuedAt, Entry(1)));
        AddList("device_list_invalid_zero_version_written", E2eChatFailure.DefaultValueWritten, [.. new RecordWriter().String(1, Shop).Varint(2, 2).ToArray(), 0x18, 0x00, .. new RecordWriter().Varint(4, IssuedAt).Message(5, Entry(1)).ToArray()]);
        AddList("device_list_invalid_version_not_minimal", E2eChatFailure.MalformedVarint, [.. new RecordWriter().String(1, Shop).Varint(2, 2).ToArray(), 0x18, 0x85, 0x00, .. new RecordWriter().Varint(4, IssuedAt).Message(5, Entry(1)).ToArray()]);
        AddList("device_list_invalid_missing_issued_at", E2eChatFailure.MissingIssuedAt, ListBytes(Shop, 2, 5, 0, Entry(1)));
        AddList("device_list_invalid_no_devices", E2eChatFailure.NoDevices, ListBytes(Shop, 2, 5, IssuedAt));
        AddList("device_list_invalid_65_devices", E2eChatFailure.TooManyDevices, ListBytes(Shop, 2, 5, IssuedAt, [.. Enumerable.Range(1, DeviceList.MaxDevices + 1).Select(i => EntryBytes((uint)i, ids[0], "A", 1, null))]));
        AddList("device_list_invalid_duplicate_device", E2eChatFailure.DuplicateDevice, List(Entry(1), Entry(2), Entry(2)));
        AddList("device_list_invalid_devices_out_of_order", E2eChatFailure.DevicesOutOfOrder, List(Entry(2), Entry(1)));
        AddList("device_list_invalid_version_after_devices", E2eChatFailure.FieldsOutOfOrder, [.. List(Entry(1)), .. new RecordWriter().Varint(3, 6).ToArray()]);
        AddList("device_list_invalid_unknown_list_field", E2eChatFailure.UnknownField, [.. List(Entry(1)), .. new RecordWriter().Varint(6, 1).ToArray()]);

        // DeviceEntry fields.
        AddList("device_list_invalid_device_0_written", E2eChatFailure.DefaultValueWritten, List([0x08, 0x00, .. EntryBytes(null, ids[1], "Sam", 1, null)]));
        AddList("device_list_invalid_device_256", E2eChatFailure.InvalidDeviceId, List(EntryBytes(256, ids[1], "Sam", 1, null)));
        AddList("device_list_invalid_missing_device", E2eChatFailure.InvalidDeviceId, List(EntryBytes(null, ids[1], "Sam", 1, null)));
        AddList("device_list_invalid_device_over_32_bits", E2eChatFailure.MalformedVarint, List([.. new RecordWriter().Varint(1, 1UL << 32).Bytes(2, ids[1].AsSpan()).String(3, "Sam").Varint(4, 1).ToArray()]));
        AddList("device_list_invalid_identity_127_bytes", E2eChatFailure.InvalidIdentityKey, List([.. new RecordWriter().Varint(1, 1).Bytes(2, ids[1].AsSpan()[..127]).String(3, "Sam").Varint(4, 1).ToArray()]));
        AddList("device_list_invalid_missing_identity", E2eChatFailure.InvalidIdentityKey, List(EntryBytes(1, null, "Sam", 1, null)));
        byte[] badBind = ids[1].ToBytes();
        badBind[^1] ^= 0x01;
        AddList("device_list_invalid_identity_bad_binding", E2eChatFailure.InvalidIdentityKey, List(Entry(1), [.. new RecordWriter().Varint(1, 2).Bytes(2, badBind).String(3, "Priya").Varint(4, 1).ToArray()]));
        AddList("device_list_invalid_label_65_bytes", E2eChatFailure.InvalidLabel, List(EntryBytes(1, ids[1], new string('a', 65), 1, null)));
        AddList("device_list_invalid_label_not_utf8", E2eChatFailure.InvalidLabel, List([.. new RecordWriter().Varint(1, 1).Bytes(2, ids[1].AsSpan()).Bytes(3, [0x53, 0xc3, 0x28]).Varint(4, 1).ToArray()]));
        AddList("device_list_invalid_label_surrogate", E2eChatFailure.InvalidLabel, List([.. new RecordWriter().Varint(1, 1).Bytes(2, ids[1].AsSpan()).Bytes(3, [0xed, 0xa0, 0x80]).Varint(4, 1).ToArray()]));
        AddList("device_list_invalid_label_overlong", E2eChatFailure.InvalidLabel, List([.. new RecordWriter().Varint(1, 1).Bytes(2, ids[1].AsSpan()).Bytes(3, [0xc0, 0xaf]).Varint(4, 1).ToArray()]));
        AddList("device_list_invalid_missing_label", E2eChatFailure.InvalidLabel, List(EntryBytes(1, ids[1], null, 1, null)));
        AddList("device_list_invalid_role_4", E2eChatFailure.InvalidRole, List(EntryBytes(1, ids[1], "Sam", 4, null)));
        AddList("device_list_invalid_missing_role", E2eChatFailure.InvalidRole, List(EntryBytes(1, ids[1], "Sam", null, null)));
        AddList("device_list_invalid_hosted_without_processor", E2eChatFailure.MissingProcessor, List(EntryBytes(1, ids[1], "Night shift", 3, null)));
        AddList("device_list_invalid_agent_with_processor", E2eChatFailure.UnexpectedProcessor, List(EntryBytes(1, ids[1], "Sam", 1, "Helpdesk Hosting GmbH")));
        AddList("device_list_invalid_processor_65_bytes", E2eChatFailure.InvalidProcessor, List(EntryBytes(1, ids[1], "Night shift", 3, new string('p', 65))));
        AddList("device_list_invalid_unknown_entry_field", E2eChatFailure.UnknownField, List(EntryBytes(1, ids[1], "Sam", 1, null, [.. new RecordWriter().Varint(6, 1).ToArray()])));
        AddList("device_list_invalid_entry_label_before_identity", E2eChatFailure.InvalidIdentityKey, List([.. new RecordWriter().Varint(1, 1).String(3, "Sam").ToArray(), .. new RecordWriter().Bytes(2, ids[1].AsSpan()).ToArray()]));
    }

    private static void AddUpdates(List<JsonObject> vectors, AccountKeyPair key, AccountKeyPair otherKey, JsonObject v1Json, JsonObject v2Json, JsonObject personJson, IdentityKey[] ids)
    {
        byte[] v1 = SignedDeviceList.Sign(key, FromJson(v1Json)).ToBytes();
        byte[] v2 = SignedDeviceList.Sign(key, FromJson(v2Json)).ToBytes();
        DeviceList v2List = FromJson(v2Json);
        DeviceList reinstalled = new(Shop, AccountKind.Business, 3, IssuedAt + 3, [new DeviceEntry(1, ids[60], "Sam", DeviceRole.Agent), .. v2List.Devices.Skip(1)]);
        byte[] v3 = SignedDeviceList.Sign(key, reinstalled).ToBytes();
        byte[] v2Other = SignedDeviceList.Sign(key, new DeviceList(Shop, AccountKind.Business, 2, IssuedAt + 99, v2List.Devices)).ToBytes();
        byte[] v2OtherKey = SignedDeviceList.Sign(otherKey, v2List).ToBytes();
        byte[] v2Person = SignedDeviceList.Sign(key, new DeviceList(Shop, AccountKind.Person, 2, IssuedAt + 2, v2List.Devices)).ToBytes();
        byte[] person = SignedDeviceList.Sign(key, FromJson(personJson)).ToBytes();
        byte[] broken = (byte[])v2.Clone();
        broken[^1] ^= 0x01;

        void Add(string name, byte[] current, byte[] next, E2eChatFailure expected)
        {
            JsonObject vector = Update(name, Shop, current, next);
            string actual = vector.ContainsKey("failure") ? VectorJson.String(vector, "failure") : "None";
            Expect.Failure(expected.ToString(), actual);
            vectors.Add(vector);
        }

        Add("device_list_update_first_use", [], v1, E2eChatFailure.None);
        Add("device_list_update_agent_added_and_removed", v1, v2, E2eChatFailure.None);
        Add("device_list_update_device_reinstalled", v2, v3, E2eChatFailure.None);
        Add("device_list_update_repeat", v2, v2, E2eChatFailure.None);
        Add("device_list_update_invalid_version_rollback", v2, v1, E2eChatFailure.VersionRollback);
        Add("device_list_update_invalid_same_version_other_bytes", v2, v2Other, E2eChatFailure.VersionRollback);
        Add("device_list_update_invalid_account_key_swapped", v1, v2OtherKey, E2eChatFailure.AccountKeyMismatch);
        Add("device_list_update_invalid_kind_changed", v1, v2Person, E2eChatFailure.AccountKindMismatch);
        Add("device_list_update_invalid_wrong_account", [], person, E2eChatFailure.WrongAccount);
        Add("device_list_update_invalid_bad_signature", v1, broken, E2eChatFailure.BadSignature);
    }
}
