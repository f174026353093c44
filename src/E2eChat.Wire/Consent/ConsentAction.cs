namespace E2eChat.Wire;

/// <summary>What a consent record does (<c>ConsentAction</c> in <c>wire.proto</c>, PROTOCOL.md section 16).</summary>
public enum ConsentAction
{
    /// <summary>Not a valid action; the state of a pair no record was applied to.</summary>
    Unspecified = 0,

    /// <summary>Grants a set of scopes (replacing every earlier grant), optionally until an expiry.</summary>
    Grant = 1,

    /// <summary>Revokes every scope granted.</summary>
    Revoke = 2,

    /// <summary>Blocks the business: nothing from it is delivered, and every scope is revoked.</summary>
    Block = 3,

    /// <summary>Lifts a block; the scopes stay as the block left them (none) until a new grant.</summary>
    Unblock = 4,
}
