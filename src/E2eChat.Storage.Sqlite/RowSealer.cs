using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace E2eChat.Storage.Sqlite;

/// <summary>
/// The store's keys and what it does with them: hashes addresses and sender-key names under an HMAC
/// key, and seals every value with the spec's sealed state (<see cref="SealedState"/>, PROTOCOL.md
/// section 10) under a sealing key, both derived from the application's storage key by HKDF-SHA256.
/// The sealed plaintext is <c>table (1) || row key length (1) || row key || value</c>, so a value
/// opens only in the table and row it was written for.
/// </summary>
internal sealed class RowSealer : IDisposable
{
    /// <summary>Length of an address or name hash (HMAC-SHA256).</summary>
    internal const int HashLength = 32;

    /// <summary>The longest row key bound into a sealed value (a hash; ids are 4 bytes).</summary>
    private const int MaxRowKeyLength = HashLength;

    private const int BindingHeaderLength = 2;

    private readonly byte[] _sealingKey = new byte[SealedState.StorageKeyLength];
    private readonly byte[] _hashKey = new byte[HashLength];
    private bool _disposed;

    /// <summary>Derives both keys from <paramref name="storageKey"/>.</summary>
    /// <param name="storageKey">The application's 32-byte storage key.</param>
    internal RowSealer(ReadOnlySpan<byte> storageKey)
    {
        HKDF.DeriveKey(HashAlgorithmName.SHA256, storageKey, _sealingKey, salt: default, SealingKeyInfo);
        HKDF.DeriveKey(HashAlgorithmName.SHA256, storageKey, _hashKey, salt: default, HashKeyInfo);
    }

    private static ReadOnlySpan<byte> SealingKeyInfo => "E2eChat/v1/sqlite-store/sealing-key"u8;

    private static ReadOnlySpan<byte> HashKeyInfo => "E2eChat/v1/sqlite-store/address-key"u8;

    /// <summary>The keyed hash an address is stored under: HMAC(key, 0x01 || name length || name || device id).</summary>
    internal byte[] HashAddress(ProtocolAddress address)
    {
        Span<byte> input = stackalloc byte[1 + 1 + ProtocolAddress.MaxNameLength + sizeof(uint)];
        int length = WriteAddress(address, input, 0x01);
        return Hash(input[..length]);
    }

    /// <summary>The keyed hash a sender-key name is stored under: HMAC(key, 0x02 || address || distribution id).</summary>
    internal byte[] HashSenderKeyName(SenderKeyName name)
    {
        Span<byte> input = stackalloc byte[1 + 1 + ProtocolAddress.MaxNameLength + sizeof(uint) + DistributionId.Length];
        int length = WriteAddress(name.Sender, input, 0x02);
        name.DistributionId.CopyTo(input.Slice(length, DistributionId.Length));
        return Hash(input[..(length + DistributionId.Length)]);
    }

    /// <summary>Encodes a sender-key name for sealing: device id (4) || distribution id (16) || name (ASCII).</summary>
    internal static byte[] EncodeSenderKeyName(SenderKeyName name)
    {
        byte[] bytes = new byte[sizeof(uint) + DistributionId.Length + name.Sender.Name.Length];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, name.Sender.DeviceId);
        name.DistributionId.CopyTo(bytes.AsSpan(sizeof(uint), DistributionId.Length));
        Encoding.ASCII.GetBytes(name.Sender.Name, bytes.AsSpan(sizeof(uint) + DistributionId.Length));
        return bytes;
    }

    /// <summary>Decodes what <see cref="EncodeSenderKeyName"/> wrote; a value that does not decode is <see cref="E2eChatFailure.Corrupt"/>.</summary>
    internal static SenderKeyName DecodeSenderKeyName(ReadOnlySpan<byte> bytes)
    {
        const int prefix = sizeof(uint) + DistributionId.Length;
        if (bytes.Length <= prefix)
        {
            throw new E2eChatException(E2eChatFailure.Corrupt);
        }

        uint deviceId = BinaryPrimitives.ReadUInt32BigEndian(bytes);
        string accountName = Encoding.ASCII.GetString(bytes[prefix..]);
        if (!ProtocolAddress.IsValidName(accountName) || deviceId is 0 or > ProtocolAddress.MaxDeviceId)
        {
            throw new E2eChatException(E2eChatFailure.Corrupt);
        }

        return new SenderKeyName(new ProtocolAddress(accountName, deviceId), new DistributionId(bytes.Slice(sizeof(uint), DistributionId.Length)));
    }

    /// <summary>The row key of a table keyed by a 32-bit id.</summary>
    internal static byte[] IdRowKey(uint id)
    {
        byte[] key = new byte[sizeof(uint)];
        BinaryPrimitives.WriteUInt32BigEndian(key, id);
        return key;
    }

    /// <summary>Seals <paramref name="value"/> bound to <paramref name="table"/> and <paramref name="rowKey"/>.</summary>
    internal byte[] Seal(StoreTable table, ReadOnlySpan<byte> rowKey, ReadOnlySpan<byte> value)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        byte[] plaintext = new byte[checked(BindingHeaderLength + rowKey.Length + value.Length)];
        try
        {
            WriteBinding(table, rowKey, plaintext);
            value.CopyTo(plaintext.AsSpan(BindingHeaderLength + rowKey.Length));
            return SealedState.Seal(_sealingKey, plaintext);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>
    /// Opens a value sealed for <paramref name="table"/> and <paramref name="rowKey"/>; the caller owns
    /// (and wipes) the result. A value that does not open, or opens but was sealed for another table or
    /// row, is <see cref="E2eChatFailure.Unauthentic"/>.
    /// </summary>
    internal byte[] Open(StoreTable table, ReadOnlySpan<byte> rowKey, ReadOnlySpan<byte> sealedValue)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!SealedState.TryOpen(_sealingKey, sealedValue, out byte[]? plaintext, out _))
        {
            throw new E2eChatException(E2eChatFailure.Unauthentic);
        }

        try
        {
            int headerLength = BindingHeaderLength + rowKey.Length;
            Span<byte> expected = stackalloc byte[BindingHeaderLength + MaxRowKeyLength];
            WriteBinding(table, rowKey, expected);
            if (plaintext.Length < headerLength || !CryptographicOperations.FixedTimeEquals(plaintext.AsSpan(0, headerLength), expected[..headerLength]))
            {
                throw new E2eChatException(E2eChatFailure.Unauthentic);
            }

            return plaintext.AsSpan(headerLength).ToArray();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>Wipes both keys.</summary>
    public void Dispose()
    {
        _disposed = true;
        CryptographicOperations.ZeroMemory(_sealingKey);
        CryptographicOperations.ZeroMemory(_hashKey);
    }

    private static void WriteBinding(StoreTable table, ReadOnlySpan<byte> rowKey, Span<byte> destination)
    {
        if (rowKey.Length > MaxRowKeyLength)
        {
            throw new ArgumentException("Row keys are at most 32 bytes.", nameof(rowKey));
        }

        destination[0] = (byte)table;
        destination[1] = (byte)rowKey.Length;
        rowKey.CopyTo(destination[BindingHeaderLength..]);
    }

    private static int WriteAddress(ProtocolAddress address, Span<byte> destination, byte domain)
    {
        destination[0] = domain;
        destination[1] = (byte)address.Name.Length;
        int written = Encoding.ASCII.GetBytes(address.Name, destination[2..]);
        BinaryPrimitives.WriteUInt32BigEndian(destination[(2 + written)..], address.DeviceId);
        return 2 + written + sizeof(uint);
    }

    private byte[] Hash(ReadOnlySpan<byte> input)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return HMACSHA256.HashData(_hashKey, input);
    }
}
