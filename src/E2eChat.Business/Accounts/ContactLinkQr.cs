using QRCoder;

namespace E2eChat;

/// <summary>
/// QR codes of contact-link URIs (PROTOCOL.md section 15.2): byte mode, error correction level M,
/// rendered as terminal text, PNG or SVG.
/// </summary>
public static class ContactLinkQr
{
    /// <summary>Renders the URI for a terminal: two modules per character with half blocks, quiet zone included.</summary>
    /// <param name="uri">The URI (<see cref="SignedContactLink.ToUri"/> or <see cref="SignedContactLink.ToWebUri"/>).</param>
    /// <returns>Lines separated by <c>\n</c>.</returns>
    public static string ToText(string uri)
    {
        using QRCodeData data = Encode(uri);
        using var ascii = new AsciiQRCode(data);
        return ascii.GetGraphicSmall(drawQuietZones: true, invert: false, endOfLine: "\n");
    }

    /// <summary>Renders the URI as a PNG image.</summary>
    /// <param name="uri">The URI.</param>
    /// <param name="pixelsPerModule">The size of one module in pixels.</param>
    /// <returns>The PNG file's bytes.</returns>
    public static byte[] ToPng(string uri, int pixelsPerModule = 8)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pixelsPerModule, 1);
        using QRCodeData data = Encode(uri);
        using var png = new PngByteQRCode(data);
        return png.GetGraphic(pixelsPerModule);
    }

    /// <summary>Renders the URI as an SVG document.</summary>
    /// <param name="uri">The URI.</param>
    /// <param name="pixelsPerModule">The size of one module in SVG units.</param>
    /// <returns>The SVG text.</returns>
    public static string ToSvg(string uri, int pixelsPerModule = 8)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pixelsPerModule, 1);
        using QRCodeData data = Encode(uri);
        using var svg = new SvgQRCode(data);
        return svg.GetGraphic(pixelsPerModule);
    }

    private static QRCodeData Encode(string uri)
    {
        ArgumentException.ThrowIfNullOrEmpty(uri);
        using var generator = new QRCodeGenerator();
        return generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.M);
    }
}
