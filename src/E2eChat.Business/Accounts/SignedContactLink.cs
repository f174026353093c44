using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using E2eChat.Crypto;

namespace E2eChat;

/// <summary>
/// A contact link signed by its account key (PROTOCOL.md section 15), written as a URI
/// (<c>e2echat:c/…</c> or <c>https://host/c/…</c>) or a QR code. Keeps its exact bytes.
/// </summary>
public sealed class SignedContactLink
{
    /// <summary>The prefix of the app URI form.</summary>
    public const string UriPrefix = "e2echat:c/";

    private const int MaxHostLength = 253;
    private readonly byte[] _bytes;

    private SignedContactLink(byte[] bytes, ContactLink link)
    {
        _bytes = bytes;
        Link = link;
    }

    /// <summary>The link.</summary>
    public ContactLink Link { get; }

    /// <summary>The encoded <c>SignedContactLink</c>, read-only.</summary>
    /// <returns>A view of the bytes.</returns>
    public ReadOnlySpan<byte> AsSpan() => _bytes;

    /// <summary>Signs a link with the account key it names (label <c>E2eChat/v1/contact-link</c>).</summary>
    /// <param name="accountKey">The business's account key; its public key must be the link's.</param>
    /// <param name="link">The link.</param>
    /// <returns>The signed link.</returns>
    /// <exception cref="ArgumentException">The link names another account key.</exception>
    public static SignedContactLink Sign(AccountKeyPair accountKey, ContactLink link)
    {
        ArgumentNullException.ThrowIfNull(accountKey);
        ArgumentNullException.ThrowIfNull(link);
        if (!accountKey.PublicKey.Equals(link.AccountKey))
        {
            throw new ArgumentException("The link names another account key.", nameof(link));
        }

        byte[] encoded = ContactLinkCodec.WriteLink(link);
        return new SignedContactLink(ContactLinkCodec.WriteSigned(encoded, accountKey.Sign(ProtocolLabels.ContactLink, encoded)), link);
    }

    /// <summary>Reads and verifies a signed link (section 15.1); never throws for hostile input.</summary>
    /// <param name="bytes">The encoded <c>SignedContactLink</c>.</param>
    /// <param name="link">The link, when valid.</param>
    /// <param name="failure">The first rule broken, or <see cref="E2eChatFailure.None"/>.</param>
    /// <returns><see langword="true"/> when valid.</returns>
    public static bool TryRead(ReadOnlySpan<byte> bytes, [NotNullWhen(true)] out SignedContactLink? link, out E2eChatFailure failure)
    {
        link = null;
        failure = ContactLinkCodec.ReadSigned(bytes, out ReadOnlySpan<byte> encoded, out ReadOnlySpan<byte> signature);
        if (failure != E2eChatFailure.None)
        {
            return false;
        }

        failure = ContactLinkCodec.ReadLink(encoded, out ContactLink? read);
        if (failure != E2eChatFailure.None)
        {
            return false;
        }

        if (!read!.AccountKey.Verify(ProtocolLabels.ContactLink, encoded, signature))
        {
            failure = E2eChatFailure.BadSignature;
            return false;
        }

        link = new SignedContactLink(bytes.ToArray(), read);
        return true;
    }

    /// <summary>Reads a URI (section 15.2) and the link in it (15.1); never throws for hostile input.</summary>
    /// <param name="uri">An <c>e2echat:c/…</c> or <c>https://host/c/…</c> URI.</param>
    /// <param name="link">The link, when valid.</param>
    /// <param name="failure">The first rule broken, or <see cref="E2eChatFailure.None"/>.</param>
    /// <returns><see langword="true"/> when valid.</returns>
    public static bool TryParseUri(string uri, [NotNullWhen(true)] out SignedContactLink? link, out E2eChatFailure failure)
    {
        ArgumentNullException.ThrowIfNull(uri);
        link = null;
        if (!TryDecodePayload(uri, out byte[]? bytes))
        {
            failure = E2eChatFailure.InvalidUri;
            return false;
        }

        return TryRead(bytes, out link, out failure);
    }

    /// <summary>
    /// Opens a link at the client's clock (section 15.3, the steps before the directory): the URI, the
    /// link and its signature, and the expiry. Then give the directory's device list to
    /// <see cref="AccountDirectory.OpenContactLinkAsync"/>.
    /// </summary>
    /// <param name="uri">The URI scanned or tapped.</param>
    /// <param name="nowMs">The client's clock, milliseconds since the Unix epoch.</param>
    /// <param name="link">The link, when it opens.</param>
    /// <param name="failure">The first rule broken, or <see cref="E2eChatFailure.None"/>.</param>
    /// <returns><see langword="true"/> when the link opens.</returns>
    public static bool TryOpen(string uri, ulong nowMs, [NotNullWhen(true)] out SignedContactLink? link, out E2eChatFailure failure)
    {
        if (!TryParseUri(uri, out link, out failure))
        {
            return false;
        }

        if (nowMs >= link.Link.ExpiresAtMs)
        {
            link = null;
            failure = E2eChatFailure.Expired;
            return false;
        }

        return true;
    }

    /// <summary>The app URI: <c>e2echat:c/&lt;base64url&gt;</c>.</summary>
    /// <returns>The URI.</returns>
    public string ToUri() => UriPrefix + Base64Url.EncodeToString(_bytes);

    /// <summary>The web URI: <c>https://&lt;host&gt;/c/&lt;base64url&gt;</c>, for pages and QR codes a camera opens.</summary>
    /// <param name="host">1-253 characters of <c>[a-z0-9.-]</c>.</param>
    /// <returns>The URI.</returns>
    /// <exception cref="ArgumentException"><paramref name="host"/> breaks the host rule.</exception>
    public string ToWebUri(string host)
    {
        if (!IsValidHost(host))
        {
            throw new ArgumentException("A host is 1-253 characters of [a-z0-9.-].", nameof(host));
        }

        return $"https://{host}/c/{Base64Url.EncodeToString(_bytes)}";
    }

    /// <summary>Describes the link (public data).</summary>
    /// <returns>The link's description.</returns>
    public override string ToString() => Link.ToString();

    private static bool TryDecodePayload(string uri, [NotNullWhen(true)] out byte[]? bytes)
    {
        bytes = null;
        string payload;
        if (uri.StartsWith(UriPrefix, StringComparison.Ordinal))
        {
            payload = uri[UriPrefix.Length..];
        }
        else if (uri.StartsWith("https://", StringComparison.Ordinal) && uri.IndexOf("/c/", "https://".Length, StringComparison.Ordinal) is int slash and > 0
            && IsValidHost(uri["https://".Length..slash]))
        {
            payload = uri[(slash + 3)..];
        }
        else
        {
            return false;
        }

        foreach (char c in payload)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return false;
            }
        }

        // A length of 4n + 1 characters is no base64url encoding of any bytes.
        if (payload.Length % 4 == 1)
        {
            return false;
        }

        byte[] buffer = new byte[Base64Url.GetMaxDecodedLength(payload.Length)];
        int written;
        try
        {
            if (!Base64Url.TryDecodeFromChars(payload, buffer, out written))
            {
                return false;
            }
        }
        catch (FormatException)
        {
            // Nonzero unused bits in the last character: not the canonical encoding.
            return false;
        }

        bytes = buffer[..written];
        return Base64Url.EncodeToString(bytes) == payload;
    }

    private static bool IsValidHost(string host) =>
        host.Length is >= 1 and <= MaxHostLength && host.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '-');
}
