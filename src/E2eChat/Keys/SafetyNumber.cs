using System.Security.Cryptography;

namespace E2eChat;

/// <summary>
/// The safety number two parties compare to rule out a man in the middle (PROTOCOL.md section 3.5):
/// 60 digits, the same on both sides, shown in 12 groups of 5, and a QR payload one side scans from
/// the other's screen. It changes when either identity changes.
/// </summary>
public sealed class SafetyNumber
{
    /// <summary>The number of digits in a safety number.</summary>
    public const int DigitCount = 2 * Fingerprint.DigitCount;

    /// <summary>The length of the QR payload: a version byte and two 32-byte fingerprints.</summary>
    public const int QrPayloadLength = 1 + (2 * Fingerprint.Length);

    /// <summary>The version byte that starts a QR payload.</summary>
    public const byte QrPayloadVersion = 0x01;

    private const int GroupLength = 5;

    private readonly byte[] _localFingerprint;
    private readonly byte[] _remoteFingerprint;

    private SafetyNumber(byte[] localFingerprint, byte[] remoteFingerprint)
    {
        _localFingerprint = localFingerprint;
        _remoteFingerprint = remoteFingerprint;
        string local = Fingerprint.ToDigits(localFingerprint);
        string remote = Fingerprint.ToDigits(remoteFingerprint);
        Digits = string.CompareOrdinal(local, remote) <= 0 ? local + remote : remote + local;
        var groups = new string[DigitCount / GroupLength];
        for (int i = 0; i < groups.Length; i++)
        {
            groups[i] = Digits.Substring(i * GroupLength, GroupLength);
        }

        Groups = groups;
    }

    /// <summary>The 60 decimal digits.</summary>
    public string Digits { get; }

    /// <summary>The digits in 12 groups of 5, in display order.</summary>
    public IReadOnlyList<string> Groups { get; }

    /// <summary>Computes the safety number between us and a peer (5200 SHA-512 iterations per party).</summary>
    /// <param name="localName">Our account name.</param>
    /// <param name="localIdentity">Our public identity.</param>
    /// <param name="remoteName">The peer's account name.</param>
    /// <param name="remoteIdentity">The peer's public identity.</param>
    /// <returns>The safety number.</returns>
    public static SafetyNumber Create(string localName, IdentityKey localIdentity, string remoteName, IdentityKey remoteIdentity)
    {
        ArgumentNullException.ThrowIfNull(localName);
        ArgumentNullException.ThrowIfNull(localIdentity);
        ArgumentNullException.ThrowIfNull(remoteName);
        ArgumentNullException.ThrowIfNull(remoteIdentity);
        byte[] local = new byte[Fingerprint.Length];
        byte[] remote = new byte[Fingerprint.Length];
        Fingerprint.Compute(localIdentity, localName, local);
        Fingerprint.Compute(remoteIdentity, remoteName, remote);
        return new SafetyNumber(local, remote);
    }

    /// <summary>The payload to show as a QR code: <c>0x01 || fp_self || fp_peer</c> (65 bytes).</summary>
    /// <returns>A new array.</returns>
    public byte[] ToQrPayload()
    {
        byte[] payload = new byte[QrPayloadLength];
        payload[0] = QrPayloadVersion;
        _localFingerprint.CopyTo(payload, 1);
        _remoteFingerprint.CopyTo(payload, 1 + Fingerprint.Length);
        return payload;
    }

    /// <summary>
    /// Whether a payload scanned from the peer's screen matches: it is 65 bytes of version 1, its
    /// <c>fp_self</c> is our <c>fp_peer</c> and its <c>fp_peer</c> is our <c>fp_self</c>. Any other
    /// input, however malformed, gives <see langword="false"/>.
    /// </summary>
    /// <param name="scannedPayload">The bytes read from the peer's QR code.</param>
    /// <returns><see langword="true"/> when both sides computed the same identities.</returns>
    public bool MatchesQrPayload(ReadOnlySpan<byte> scannedPayload)
    {
        if (scannedPayload.Length != QrPayloadLength || scannedPayload[0] != QrPayloadVersion)
        {
            return false;
        }

        bool selfMatches = CryptographicOperations.FixedTimeEquals(scannedPayload.Slice(1, Fingerprint.Length), _remoteFingerprint);
        bool peerMatches = CryptographicOperations.FixedTimeEquals(scannedPayload.Slice(1 + Fingerprint.Length, Fingerprint.Length), _localFingerprint);
        return selfMatches & peerMatches;
    }

    /// <summary>The 12 groups separated by spaces.</summary>
    /// <returns>The displayable safety number.</returns>
    public override string ToString() => string.Join(' ', Groups);
}
