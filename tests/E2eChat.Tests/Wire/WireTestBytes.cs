namespace E2eChat.Tests.Wire;

/// <summary>Deterministic filler bytes for wire codec tests.</summary>
internal static class WireTestBytes
{
    /// <summary>An array of <paramref name="length"/> bytes counting up from <paramref name="seed"/>.</summary>
    public static byte[] Fill(int length, byte seed)
    {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = unchecked((byte)(seed + i));
        }

        return bytes;
    }
}
