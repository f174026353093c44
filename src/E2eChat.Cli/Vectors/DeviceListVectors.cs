using System.Text.Json.Nodes;
using E2eChat.Accounts;
using E2eChat.Crypto;
using E2eChat.Keys;
using E2eChat.Wire;

namespace E2eChat.Cli.Vectors;

/// <summary>
/// <c>device-lists.json</c>: signed device lists, lists a reader must refuse with their
/// <see cref="DeviceListFailure"/>, and a client's accepting of a new list (PROTOCOL.md 14).
/// </summary>
internal sealed class DeviceListVectors : IVectorSuite
{
    private const string File = "device-lists.json";
    private const string Shop = "acme-shoes";
    private const ulong IssuedAt = 1_767_225_600_000;

    /// <inheritdoc/>
    public string FileName => File;

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<JsonObject>> GenerateAsync()
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
        return ValueTask.FromResult<IReadOnlyList<JsonObject>>(vectors);
    }

    /// <inheritdoc/>
    public ValueTask VerifyAsync(JsonObject vector)
    {
        ArgumentNullException.ThrowIfNull(vector);
        string name = VectorJson.String(vector, "name");
        switch (VectorJson.String(vector, "kind"))
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
                throw new VectorFormatException($"unknown kind '{VectorJson.String(vector, "kind")}'");
        }

        return ValueTask.CompletedTask;
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
        Expect.True(SignedDeviceList.TryRead(signed.AsSpan(), out SignedDeviceList? read, out DeviceListFailure failure), $"the signed list is refused: {failure}");
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
        SignedDeviceList.TryRead(signed, out _, out DeviceListFailure failure);
        return new JsonObject
        {
            ["name"] = name,
            ["kind"] = "device_list_invalid",
            ["signed"] = Hex.Encode(signed),
            ["failure"] = failure.ToString(),
        };
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
        if (current.Length > 0 && !SignedDeviceList.TryRead(current, out stored, out DeviceListFailure currentFailure))
        {
            throw new VectorFormatException($"current: not a valid list ({currentFailure})");
        }

        IReadOnlyList<DeviceEntry> added = [];
        IReadOnlyList<DeviceEntry> removed = [];
        if (!SignedDeviceList.TryRead(next, out SignedDeviceList? received, out DeviceListFailure failure))
        {
            vector["kind"] = "device_list_update_invalid";
            vector["failure"] = failure.ToString();
            return vector;
        }

        failure = DeviceListRules.Check(account, stored, received, out added, out removed);
        if (failure != DeviceListFailure.None)
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
        void Add(string name, DeviceListFailure failure, byte[] signed) => vectors.Add(Expect.Fails(Invalid(name, signed), failure.ToString()));
        byte[] Entry(uint device) => EntryBytes(device, ids[device], "Agent " + device, 1, null);
        byte[] List(params byte[][] entries) => ListBytes(Shop, 2, 5, IssuedAt, entries);
        void AddList(string name, DeviceListFailure failure, byte[] list) => Add(name, failure, Sign(key, list));

        byte[] list = List(Entry(1), Entry(2));
        byte[] valid = Sign(key, list);
        byte[] signature = key.Sign(ProtocolLabels.DeviceList, list);
        byte[] accountKey = key.PublicKey.ToBytes();
        RecordWriter Outer() => new();

        // Size and encoding of the SignedDeviceList.
        Add("device_list_invalid_too_large", DeviceListFailure.TooLarge, Sign(key, [.. list, .. new RecordWriter().Bytes(9, new byte[ProtocolLimits.MaxSignedDeviceListLength]).ToArray()]));
        Add("device_list_invalid_truncated", DeviceListFailure.Truncated, valid[..^1]);
        Add("device_list_invalid_unknown_field", DeviceListFailure.UnknownField, [.. valid, .. new RecordWriter().Varint(4, 1).ToArray()]);
        Add("device_list_invalid_duplicate_signature", DeviceListFailure.DuplicateField, [.. valid, .. new RecordWriter().Bytes(3, signature).ToArray()]);
        Add("device_list_invalid_fields_out_of_order", DeviceListFailure.FieldsOutOfOrder, [.. valid, .. new RecordWriter().Bytes(2, list).ToArray()]);
        Add("device_list_invalid_account_key_varint", DeviceListFailure.WrongWireType, [.. new RecordWriter().Varint(1, 7).ToArray(), .. new RecordWriter().Bytes(2, list).Bytes(3, signature).ToArray()]);
        Add("device_list_invalid_account_key_31_bytes", DeviceListFailure.InvalidAccountKey, Outer().Bytes(1, accountKey.AsSpan(0, 31)).Bytes(2, list).Bytes(3, signature).ToArray());
        Add("device_list_invalid_missing_account_key", DeviceListFailure.InvalidAccountKey, Outer().Bytes(2, list).Bytes(3, signature).ToArray());
        Add("device_list_invalid_missing_list", DeviceListFailure.MissingList, Outer().Bytes(1, accountKey).Bytes(3, signature).ToArray());
        Add("device_list_invalid_empty_list_written", DeviceListFailure.DefaultValueWritten, Outer().Bytes(1, accountKey).Message(2, []).Bytes(3, signature).ToArray());
        Add("device_list_invalid_signature_63_bytes", DeviceListFailure.InvalidSignatureLength, Outer().Bytes(1, accountKey).Bytes(2, list).Bytes(3, signature.AsSpan(0, 63)).ToArray());
        Add("device_list_invalid_missing_signature", DeviceListFailure.InvalidSignatureLength, Outer().Bytes(1, accountKey).Bytes(2, list).ToArray());

        // Signatures: checked before the list is read.
        byte[] changed = (byte[])list.Clone();
        changed[^1] ^= 0x01;
        Add("device_list_invalid_list_changed_after_signing", DeviceListFailure.BadSignature, Outer().Bytes(1, accountKey).Bytes(2, changed).Bytes(3, signature).ToArray());
        Add("device_list_invalid_signed_by_another_key", DeviceListFailure.BadSignature, Outer().Bytes(1, accountKey).Bytes(2, list).Bytes(3, otherKey.Sign(ProtocolLabels.DeviceList, list)).ToArray());
        Add("device_list_invalid_signed_with_contact_link_label", DeviceListFailure.BadSignature, Outer().Bytes(1, accountKey).Bytes(2, list).Bytes(3, key.Sign(ProtocolLabels.ContactLink, list)).ToArray());
        Add("device_list_invalid_garbage_signed", DeviceListFailure.Truncated, Sign(key, [0x0a, 0x05, 0x61]));

        // DeviceList fields.
        AddList("device_list_invalid_account_upper_case", DeviceListFailure.InvalidAccount, ListBytes("Acme", 2, 5, IssuedAt, Entry(1)));
        AddList("device_list_invalid_missing_account", DeviceListFailure.InvalidAccount, ListBytes(null, 2, 5, IssuedAt, Entry(1)));
        AddList("device_list_invalid_kind_3", DeviceListFailure.InvalidAccountKind, ListBytes(Shop, 3, 5, IssuedAt, Entry(1)));
        AddList("device_list_invalid_missing_version", DeviceListFailure.MissingVersion, ListBytes(Shop, 2, 0, IssuedAt, Entry(1)));
        AddList("device_list_invalid_zero_version_written", DeviceListFailure.DefaultValueWritten, [.. new RecordWriter().String(1, Shop).Varint(2, 2).ToArray(), 0x18, 0x00, .. new RecordWriter().Varint(4, IssuedAt).Message(5, Entry(1)).ToArray()]);
        AddList("device_list_invalid_version_not_minimal", DeviceListFailure.MalformedVarint, [.. new RecordWriter().String(1, Shop).Varint(2, 2).ToArray(), 0x18, 0x85, 0x00, .. new RecordWriter().Varint(4, IssuedAt).Message(5, Entry(1)).ToArray()]);
        AddList("device_list_invalid_missing_issued_at", DeviceListFailure.MissingIssuedAt, ListBytes(Shop, 2, 5, 0, Entry(1)));
        AddList("device_list_invalid_no_devices", DeviceListFailure.NoDevices, ListBytes(Shop, 2, 5, IssuedAt));
        AddList("device_list_invalid_65_devices", DeviceListFailure.TooManyDevices, ListBytes(Shop, 2, 5, IssuedAt, [.. Enumerable.Range(1, DeviceList.MaxDevices + 1).Select(i => EntryBytes((uint)i, ids[0], "A", 1, null))]));
        AddList("device_list_invalid_duplicate_device", DeviceListFailure.DuplicateDevice, List(Entry(1), Entry(2), Entry(2)));
        AddList("device_list_invalid_devices_out_of_order", DeviceListFailure.DevicesOutOfOrder, List(Entry(2), Entry(1)));
        AddList("device_list_invalid_version_after_devices", DeviceListFailure.FieldsOutOfOrder, [.. List(Entry(1)), .. new RecordWriter().Varint(3, 6).ToArray()]);
        AddList("device_list_invalid_unknown_list_field", DeviceListFailure.UnknownField, [.. List(Entry(1)), .. new RecordWriter().Varint(6, 1).ToArray()]);

        // DeviceEntry fields.
        AddList("device_list_invalid_device_0_written", DeviceListFailure.DefaultValueWritten, List([0x08, 0x00, .. EntryBytes(null, ids[1], "Sam", 1, null)]));
        AddList("device_list_invalid_device_256", DeviceListFailure.InvalidDeviceId, List(EntryBytes(256, ids[1], "Sam", 1, null)));
        AddList("device_list_invalid_missing_device", DeviceListFailure.InvalidDeviceId, List(EntryBytes(null, ids[1], "Sam", 1, null)));
        AddList("device_list_invalid_device_over_32_bits", DeviceListFailure.MalformedVarint, List([.. new RecordWriter().Varint(1, 1UL << 32).Bytes(2, ids[1].AsSpan()).String(3, "Sam").Varint(4, 1).ToArray()]));
        AddList("device_list_invalid_identity_127_bytes", DeviceListFailure.InvalidIdentityKey, List([.. new RecordWriter().Varint(1, 1).Bytes(2, ids[1].AsSpan()[..127]).String(3, "Sam").Varint(4, 1).ToArray()]));
        AddList("device_list_invalid_missing_identity", DeviceListFailure.InvalidIdentityKey, List(EntryBytes(1, null, "Sam", 1, null)));
        byte[] badBind = ids[1].ToBytes();
        badBind[^1] ^= 0x01;
        AddList("device_list_invalid_identity_bad_binding", DeviceListFailure.InvalidIdentityKey, List(Entry(1), [.. new RecordWriter().Varint(1, 2).Bytes(2, badBind).String(3, "Priya").Varint(4, 1).ToArray()]));
        AddList("device_list_invalid_label_65_bytes", DeviceListFailure.InvalidLabel, List(EntryBytes(1, ids[1], new string('a', 65), 1, null)));
        AddList("device_list_invalid_label_not_utf8", DeviceListFailure.InvalidLabel, List([.. new RecordWriter().Varint(1, 1).Bytes(2, ids[1].AsSpan()).Bytes(3, [0x53, 0xc3, 0x28]).Varint(4, 1).ToArray()]));
        AddList("device_list_invalid_label_surrogate", DeviceListFailure.InvalidLabel, List([.. new RecordWriter().Varint(1, 1).Bytes(2, ids[1].AsSpan()).Bytes(3, [0xed, 0xa0, 0x80]).Varint(4, 1).ToArray()]));
        AddList("device_list_invalid_label_overlong", DeviceListFailure.InvalidLabel, List([.. new RecordWriter().Varint(1, 1).Bytes(2, ids[1].AsSpan()).Bytes(3, [0xc0, 0xaf]).Varint(4, 1).ToArray()]));
        AddList("device_list_invalid_missing_label", DeviceListFailure.InvalidLabel, List(EntryBytes(1, ids[1], null, 1, null)));
        AddList("device_list_invalid_role_4", DeviceListFailure.InvalidRole, List(EntryBytes(1, ids[1], "Sam", 4, null)));
        AddList("device_list_invalid_missing_role", DeviceListFailure.InvalidRole, List(EntryBytes(1, ids[1], "Sam", null, null)));
        AddList("device_list_invalid_hosted_without_processor", DeviceListFailure.MissingProcessor, List(EntryBytes(1, ids[1], "Night shift", 3, null)));
        AddList("device_list_invalid_agent_with_processor", DeviceListFailure.UnexpectedProcessor, List(EntryBytes(1, ids[1], "Sam", 1, "Helpdesk Hosting GmbH")));
        AddList("device_list_invalid_processor_65_bytes", DeviceListFailure.InvalidProcessor, List(EntryBytes(1, ids[1], "Night shift", 3, new string('p', 65))));
        AddList("device_list_invalid_unknown_entry_field", DeviceListFailure.UnknownField, List(EntryBytes(1, ids[1], "Sam", 1, null, [.. new RecordWriter().Varint(6, 1).ToArray()])));
        AddList("device_list_invalid_entry_label_before_identity", DeviceListFailure.InvalidIdentityKey, List([.. new RecordWriter().Varint(1, 1).String(3, "Sam").ToArray(), .. new RecordWriter().Bytes(2, ids[1].AsSpan()).ToArray()]));
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

        void Add(string name, byte[] current, byte[] next, DeviceListFailure expected)
        {
            JsonObject vector = Update(name, Shop, current, next);
            string actual = vector.ContainsKey("failure") ? VectorJson.String(vector, "failure") : "None";
            Expect.Failure(expected.ToString(), actual);
            vectors.Add(vector);
        }

        Add("device_list_update_first_use", [], v1, DeviceListFailure.None);
        Add("device_list_update_agent_added_and_removed", v1, v2, DeviceListFailure.None);
        Add("device_list_update_device_reinstalled", v2, v3, DeviceListFailure.None);
        Add("device_list_update_repeat", v2, v2, DeviceListFailure.None);
        Add("device_list_update_invalid_version_rollback", v2, v1, DeviceListFailure.VersionRollback);
        Add("device_list_update_invalid_same_version_other_bytes", v2, v2Other, DeviceListFailure.VersionRollback);
        Add("device_list_update_invalid_account_key_swapped", v1, v2OtherKey, DeviceListFailure.AccountKeyMismatch);
        Add("device_list_update_invalid_kind_changed", v1, v2Person, DeviceListFailure.AccountKindMismatch);
        Add("device_list_update_invalid_wrong_account", [], person, DeviceListFailure.WrongAccount);
        Add("device_list_update_invalid_bad_signature", v1, broken, DeviceListFailure.BadSignature);
    }
}
