namespace E2eChat.Wire;

/// <summary>The kind of account an address belongs to (<c>Address.kind</c> in <c>wire.proto</c>).</summary>
public enum AccountKind
{
    /// <summary>Not a valid kind; only seen in a default <see cref="AddressView"/>.</summary>
    Unspecified = 0,

    /// <summary>A person.</summary>
    Person = 1,

    /// <summary>A business (metered by the relay).</summary>
    Business = 2,
}
