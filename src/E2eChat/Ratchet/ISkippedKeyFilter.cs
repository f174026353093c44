namespace E2eChat.Ratchet;

/// <summary>
/// Decides, entry by entry, what <see cref="SkippedKeyTable{TTag}.RemoveWhere{TFilter}"/> keeps, and
/// may change the tag of an entry it keeps. A struct, so the table calls it directly.
/// </summary>
/// <typeparam name="TTag">The table's tag type.</typeparam>
internal interface ISkippedKeyFilter<TTag>
    where TTag : struct, ISkippedKeyTag<TTag>
{
    /// <summary>Whether to keep the entry tagged <paramref name="tag"/>, which the filter may update.</summary>
    /// <param name="tag">The entry's tag.</param>
    /// <returns><see langword="true"/> to keep the entry.</returns>
    bool Keep(ref TTag tag);
}
