using System.Buffers.Binary;
using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace E2eChat.Relay.Server.Auth;

/// <summary>
/// Issues and checks bearer tokens (PROTOCOL.md 12.2), opaque to devices:
/// base64url(<c>0x01 || u64be(expires_at_ms) || u8(kind) || u8(device) || u8(len(name)) || name || HMAC(token key, ...)</c>).
/// Any node with the server secret validates them; nothing is stored per token. A node remembers the
/// tokens it verified (text to device and expiry, at most <see cref="RelayServerLimits.MaxCachedTokens"/>),
/// so later calls with the same token skip the HMAC; the expiry is still checked on every call, and only
/// the exact text of a verified token hits (a token is bound to its device by its MAC, so another
/// device's or an altered token never matches an entry and is verified in full).
/// </summary>
internal sealed class TokenIssuer
{
    private const byte Version = 1;
    private const int HeaderLength = 1 + sizeof(long) + 3;
    private const int MacLength = 32;
    private const int MaxTokenBytes = HeaderLength + RelayServerLimits.MaxNameLength + MacLength;

    private readonly RelaySecrets _secrets;
    private readonly ConcurrentDictionary<string, VerifiedToken> _verified = new(StringComparer.Ordinal);

    /// <summary>The same dictionary looked up by the header's characters, without a string per call.</summary>
    private readonly ConcurrentDictionary<string, VerifiedToken>.AlternateLookup<ReadOnlySpan<char>> _verifiedByText;

    /// <summary>Creates an issuer.</summary>
    /// <param name="secrets">The relay's keys.</param>
    public TokenIssuer(RelaySecrets secrets)
    {
        _secrets = secrets;
        _verifiedByText = _verified.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>A token for <paramref name="device"/>.</summary>
    /// <param name="device">The authenticated device.</param>
    /// <param name="expiresAtMilliseconds">When it expires.</param>
    /// <returns>The token text.</returns>
    internal string Issue(AuthenticatedDevice device, long expiresAtMilliseconds)
    {
        byte[] name = Encoding.ASCII.GetBytes(device.Address.Name);
        byte[] token = new byte[HeaderLength + name.Length + MacLength];
        token[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(token.AsSpan(1), expiresAtMilliseconds);
        token[9] = (byte)device.Kind;
        token[10] = (byte)device.Address.Device;
        token[11] = (byte)name.Length;
        name.CopyTo(token, HeaderLength);
        _secrets.TokenMac(token.AsSpan(0, HeaderLength + name.Length), token.AsSpan(HeaderLength + name.Length));
        return Base64Url.EncodeToString(token);
    }

    /// <summary>Tokens remembered as verified (for tests).</summary>
    internal int CachedCount => _verified.Count;

    /// <summary>Checks a token.</summary>
    /// <param name="text">The token text (after <c>Bearer </c>).</param>
    /// <param name="nowMilliseconds">The time.</param>
    /// <param name="device">The device it names, on success.</param>
    /// <returns><see langword="null"/> when valid, otherwise why not.</returns>
    internal RelayFailure? Check(ReadOnlySpan<char> text, long nowMilliseconds, out AuthenticatedDevice? device)
    {
        device = null;
        if (_verifiedByText.TryGetValue(text, out VerifiedToken? known))
        {
            if (known.ExpiresAtMilliseconds <= nowMilliseconds)
            {
                _verifiedByText.TryRemove(text, out _);
                return RelayFailure.TokenExpired;
            }

            device = known.Device;
            return null;
        }

        // Base64Url.TryDecodeFromChars throws on characters outside the alphabet, so check them first.
        if (text.Length > Base64Url.GetEncodedLength(MaxTokenBytes) || !Base64Url.IsValid(text))
        {
            return RelayFailure.MalformedToken;
        }

        Span<byte> token = stackalloc byte[MaxTokenBytes];
        if (!Base64Url.TryDecodeFromChars(text, token, out int length) || length < HeaderLength + 1 + MacLength || token[0] != Version)
        {
            return RelayFailure.MalformedToken;
        }

        token = token[..length];
        int nameLength = token[11];
        if (length != HeaderLength + nameLength + MacLength)
        {
            return RelayFailure.MalformedToken;
        }

        Span<byte> mac = stackalloc byte[MacLength];
        _secrets.TokenMac(token[..(HeaderLength + nameLength)], mac);
        if (!CryptographicOperations.FixedTimeEquals(mac, token[(HeaderLength + nameLength)..]))
        {
            return RelayFailure.BadToken;
        }

        long expiresAt = BinaryPrimitives.ReadInt64BigEndian(token[1..]);
        if (expiresAt <= nowMilliseconds)
        {
            return RelayFailure.TokenExpired;
        }

        string name = Encoding.ASCII.GetString(token.Slice(HeaderLength, nameLength));
        var kind = (PartyKind)token[9];
        int deviceId = token[10];
        if (!DeviceAddress.IsValid(name, deviceId) || kind is not (PartyKind.Person or PartyKind.Business))
        {
            return RelayFailure.MalformedToken;
        }

        device = new AuthenticatedDevice(new DeviceAddress(name, deviceId), kind);
        if (_verified.Count >= RelayServerLimits.MaxCachedTokens)
        {
            _verified.Clear();
        }

        _verifiedByText.TryAdd(text, new VerifiedToken(device, expiresAt));
        return null;
    }

    /// <summary>What a verified token says.</summary>
    /// <param name="Device">The device it names.</param>
    /// <param name="ExpiresAtMilliseconds">When it expires.</param>
    private sealed record VerifiedToken(AuthenticatedDevice Device, long ExpiresAtMilliseconds);
}
