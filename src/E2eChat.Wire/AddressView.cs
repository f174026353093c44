namespace E2eChat.Wire;

/// <summary>
/// A validated sender or recipient address, pointing into the envelope it was read from so that
/// validation allocates nothing. The name is 1 to 64 bytes of <c>[a-z0-9._-]</c> (ASCII, hence also
/// UTF-8), the device 1 to 255, the kind <see cref="AccountKind.Person"/> or
/// <see cref="AccountKind.Business"/>.
/// </summary>
public readonly struct AddressView
{
    internal AddressView(Range name, uint device, AccountKind kind)
    {
        Name = name;
        Device = device;
        Kind = kind;
    }

    /// <summary>Where the account name's bytes are in the envelope.</summary>
    public Range Name { get; }

    /// <summary>The device id, 1 to 255.</summary>
    public uint Device { get; }

    /// <summary>Whether the account is a person's or a business's.</summary>
    public AccountKind Kind { get; }

    /// <summary>The account name's bytes in <paramref name="envelope"/>.</summary>
    /// <param name="envelope">The envelope this address was validated from.</param>
    /// <returns>The name, ASCII.</returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="envelope"/> is shorter than the envelope this address came from.
    /// </exception>
    public ReadOnlySpan<byte> GetName(ReadOnlySpan<byte> envelope) => envelope[Name];
}
