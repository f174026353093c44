using E2eChat.Fuzz;
using E2eChat.Tests.Vectors;
using E2eChat.Wire;

namespace E2eChat.Tests.Fuzz;

/// <summary>
/// The seeds of the record and request targets are valid inputs, so the replay reaches the targets'
/// re-encoding and agreement checks (not only their refusal paths); and a target reports a broken
/// property of a valid seed.
/// </summary>
public sealed class FuzzSeedTests
{
    private static byte[] Seed(string target, string name) => File.ReadAllBytes(Path.Combine(RepositoryRoot.Path, "tests", "E2eChat.Fuzz", "corpus", target, name));

    [Fact]
    public void DeviceListSeed_Signed_ReadsByClientAndRelay()
    {
        Assert.True(SignedDeviceList.TryRead(Seed("device_list", "signed"), out _, out E2eChatFailure failure), failure.ToString());
    }

    [Fact]
    public void ContactLinkSeed_Signed_Reads()
    {
        Assert.True(SignedContactLink.TryRead(Seed("contact_link", "signed"), out _, out E2eChatFailure failure), failure.ToString());
    }

    [Theory]
    [InlineData("grant_signed")]
    [InlineData("revoke_signed")]
    [InlineData("block_signed")]
    [InlineData("unblock_signed")]
    public void ConsentSeed_Signed_Reads(string name)
    {
        Assert.True(WireConsentRecord.TryRead(Seed("consent_record", name), out _, out ConsentFailure failure), failure.ToString());
    }

    [Theory]
    [InlineData("message")]
    [InlineData("plain_message")]
    [InlineData("receipt")]
    [InlineData("sync")]
    [InlineData("device_list")]
    [InlineData("consent")]
    public void ContentSeed_Reads(string name)
    {
        Assert.True(Content.TryRead(Seed("content", name), out _, out E2eChatFailure failure), failure.ToString());
    }

    [Fact]
    public void DeviceListTarget_ListWithTrailingByte_IsRefusedNotReported()
    {
        // A body the codec refuses: the target must pass (a refusal is a typed failure, not a finding).
        byte[] body = [.. Seed("device_list", "body"), 0x00];
        Assert.Null(Record.Exception(() => FuzzTargets.All["device_list"](body)));
    }

    [Fact]
    public void GroupInteraction_LongRun_HoldsProperties()
    {
        byte[] script = [.. Enumerable.Range(0, 600).Select(i => (byte)(((i * 7) + (i / 11)) % 256))];
        Assert.Null(Record.Exception(() => FuzzTargets.All["group_interaction"](script)));
    }
}
