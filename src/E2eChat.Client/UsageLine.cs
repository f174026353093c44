using E2eChat.Wire;

namespace E2eChat.Client;

/// <summary>One line of a business's bill: the messages of one category on one UTC day (PROTOCOL.md 17.6).</summary>
/// <param name="Day">The UTC day.</param>
/// <param name="Category">The messages' category.</param>
/// <param name="Messages">Billed messages (one per logical message and recipient account).</param>
/// <param name="UnitPriceMicros">The rate card's price per message, in millionths of the currency.</param>
/// <param name="AmountMicros">Messages times the unit price.</param>
public sealed record UsageLine(DateOnly Day, Category Category, ulong Messages, ulong UnitPriceMicros, ulong AmountMicros);
