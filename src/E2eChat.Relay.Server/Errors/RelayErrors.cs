using System.Globalization;

namespace E2eChat.Relay.Server.Errors;

/// <summary>Builds every refusal the relay sends: a gRPC status, a detail text and the failure trailers.</summary>
internal static class RelayErrors
{
    /// <summary>The trailer naming the failure (a <see cref="RelayFailure"/> or an <c>EnvelopeFailure</c> name).</summary>
    internal const string FailureTrailer = "e2echat-failure";

    /// <summary>The trailer naming the zero-based index of the offending envelope or audience entry.</summary>
    internal const string IndexTrailer = "e2echat-index";

    /// <summary>A refusal.</summary>
    /// <param name="code">The gRPC status code.</param>
    /// <param name="failure">Why.</param>
    /// <param name="detail">A human-readable explanation (never message contents).</param>
    /// <returns>The exception to throw.</returns>
    internal static RpcException Create(StatusCode code, RelayFailure failure, string detail) =>
        Create(code, failure.ToString(), detail, index: null);

    /// <summary>A refusal of one item of a batch.</summary>
    /// <param name="code">The gRPC status code.</param>
    /// <param name="failure">Why.</param>
    /// <param name="index">Which envelope or audience entry, zero-based.</param>
    /// <param name="detail">A human-readable explanation (never message contents).</param>
    /// <returns>The exception to throw.</returns>
    internal static RpcException ForItem(StatusCode code, RelayFailure failure, int index, string detail) =>
        Create(code, failure.ToString(), $"item {index}: {detail}", index);

    /// <summary>A refusal of one envelope that failed validation.</summary>
    /// <param name="index">Which envelope, zero-based.</param>
    /// <param name="envelopeFailure">The validator's failure name.</param>
    /// <returns>The exception to throw.</returns>
    internal static RpcException InvalidEnvelope(int index, string envelopeFailure) =>
        Create(StatusCode.InvalidArgument, envelopeFailure, $"item {index}: invalid envelope ({envelopeFailure})", index);

    /// <summary>A refusal of a consent record (PROTOCOL.md 17.5), named by its <see cref="global::E2eChat.Wire.ConsentFailure"/>.</summary>
    /// <param name="code">The gRPC status code.</param>
    /// <param name="failure">The first rule of section 16.2 the record broke.</param>
    /// <returns>The exception to throw.</returns>
    internal static RpcException Consent(StatusCode code, global::E2eChat.Wire.ConsentFailure failure) =>
        Create(code, failure.ToString(), $"consent record refused ({failure})", index: null);

    private static RpcException Create(StatusCode code, string failure, string detail, int? index)
    {
        var trailers = new Metadata { { FailureTrailer, failure } };
        if (index is int i)
        {
            trailers.Add(IndexTrailer, i.ToString(CultureInfo.InvariantCulture));
        }

        return new RpcException(new Status(code, detail), trailers);
    }
}
