namespace E2eChat.Ratchet;

/// <summary>
/// What a <see cref="SkippedKeyTable{TTag}"/> stores beside each skipped message key: the message it
/// opens, and any other data the owner keeps with it. A struct, so the table's lookups call it directly.
/// </summary>
/// <typeparam name="TSelf">The tag type itself.</typeparam>
internal interface ISkippedKeyTag<TSelf>
    where TSelf : struct, ISkippedKeyTag<TSelf>
{
    /// <summary>Whether this tag and <paramref name="other"/> name the same message (other data aside).</summary>
    /// <param name="other">The tag looked for.</param>
    /// <returns><see langword="true"/> for the same message.</returns>
    bool IsSameMessage(in TSelf other);
}
