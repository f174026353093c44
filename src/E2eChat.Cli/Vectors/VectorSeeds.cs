using System.Security.Cryptography;
using System.Text;

namespace E2eChat.Cli.Vectors;

/// <summary>
/// The fixed seeds: every vector draws its inputs from its own <see cref="DeterministicRandomSource"/>
/// seeded with <c>SHA-256("E2eChat/v1/test-vectors/" || file || "/" || vector name)</c> (ASCII), so
/// adding or removing a vector never changes another.
/// </summary>
internal static class VectorSeeds
{
    /// <summary>The seed of one vector.</summary>
    internal static byte[] Seed(string file, string vectorName) =>
        SHA256.HashData(Encoding.ASCII.GetBytes($"E2eChat/v1/test-vectors/{file}/{vectorName}"));

    /// <summary>The random stream of one vector.</summary>
    internal static DeterministicRandomSource For(string file, string vectorName) => new(Seed(file, vectorName));

    /// <summary>Draws <paramref name="length"/> bytes.</summary>
    internal static byte[] Draw(this RandomSource random, int length)
    {
        byte[] bytes = new byte[length];
        random.Fill(bytes);
        return bytes;
    }
}
