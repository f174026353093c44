namespace E2eChat.Demo;

/// <summary>One line of a device's conversation view, in the order the device sent or decrypted it.</summary>
/// <param name="RelaySequence">The relay's number of the envelope it came in (for sent lines: the first copy's).</param>
/// <param name="Speaker">Who said it, as the device shows it.</param>
/// <param name="Text">What was said.</param>
internal sealed record TranscriptEntry(int RelaySequence, string Speaker, string Text);
