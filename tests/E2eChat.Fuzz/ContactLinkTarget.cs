using System.Buffers.Text;
using E2eChat.Crypto;

namespace E2eChat.Fuzz;

/// <summary>
/// Section 15: a <c>SignedContactLink</c> and its URI forms. The input is tried as signed bytes, and
/// as a <c>ContactLink</c> body signed with <see cref="FuzzKeys.Account"/> (a link naming that key
/// must then open). A read link re-encodes to its bytes; the URI reader agrees with the byte reader.
/// </summary>
internal static class ContactLinkTarget
{
    private const string WebHost = "chat.example";

    /// <summary>Runs the target.</summary>
    /// <param name="input">The fuzzer's bytes.</param>
    internal static void Run(byte[] input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckSigned(input, expectOpen: false);
        byte[] signature = FuzzKeys.Account.Sign(ProtocolLabels.ContactLink, input);
        bool ours = ContactLinkCodec.ReadLink(input, out ContactLink? link) == E2eChatFailure.None && link!.AccountKey.Equals(FuzzKeys.Account.PublicKey);
        CheckSigned(ContactLinkCodec.WriteSigned(input, signature), ours);
    }

    private static void CheckSigned(byte[] signed, bool expectOpen)
    {
        bool read = SignedContactLink.TryRead(signed, out SignedContactLink? link, out E2eChatFailure failure);
        FuzzTargets.Check(read == (failure == E2eChatFailure.None) && read == (link is not null), "contact_link: result and failure disagree");
        FuzzTargets.Check(!expectOpen || read, $"contact_link: a link signed by the key it names is refused ({failure})");
        E2eChatFailure structure = ContactLinkCodec.ReadSigned(signed, out ReadOnlySpan<byte> body, out ReadOnlySpan<byte> signature);
        E2eChatFailure inner = E2eChatFailure.None;
        if (structure == E2eChatFailure.None)
        {
            FuzzTargets.Check(ContactLinkCodec.WriteSigned(body, signature).AsSpan().SequenceEqual(signed), "contact_link: a signed link read but does not re-encode to its bytes");
            inner = ContactLinkCodec.ReadLink(body, out ContactLink? parsed);
            if (inner == E2eChatFailure.None)
            {
                FuzzTargets.Check(ContactLinkCodec.WriteLink(parsed!).AsSpan().SequenceEqual(body), "contact_link: a link read but does not re-encode to its bytes");
            }
        }

        E2eChatFailure expected = structure != E2eChatFailure.None ? structure : inner;
        FuzzTargets.Check(
            read ? expected == E2eChatFailure.None : failure == expected || (expected == E2eChatFailure.None && failure == E2eChatFailure.BadSignature),
            $"contact_link: the codec says {expected}, the reader {failure}");

        string uri = SignedContactLink.UriPrefix + Base64Url.EncodeToString(signed);
        bool parsedUri = SignedContactLink.TryParseUri(uri, out SignedContactLink? fromUri, out E2eChatFailure uriFailure);
        FuzzTargets.Check(parsedUri == read && uriFailure == failure, $"contact_link: the URI reader says {uriFailure}, the byte reader {failure}");
        if (read)
        {
            FuzzTargets.Check(fromUri!.AsSpan().SequenceEqual(signed) && link!.ToUri() == uri, "contact_link: the URI form does not round-trip");
            FuzzTargets.Check(SignedContactLink.TryParseUri(link!.ToWebUri(WebHost), out SignedContactLink? fromWeb, out _) && fromWeb!.AsSpan().SequenceEqual(signed), "contact_link: the web URI form does not round-trip");
        }
    }
}
