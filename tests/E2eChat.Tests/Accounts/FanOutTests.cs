using System.Text;
using E2eChat.Wire;

namespace E2eChat.Tests.Accounts;

public sealed class FanOutTests
{
    private static ApplicationMessage Text(string text, int category = 0) => new(Encoding.UTF8.GetBytes(text), category);

    [Fact]
    public async Task SendAsync_CustomerToBusiness_OneMessagePerListedDeviceEachDecrypts()
    {
        using BusinessWorld world = await BusinessWorld.CreateAsync(1, 2, 3);

        FanOutResult result = await world.FanOutOf(world.CustomerDevice).SendAsync(BusinessWorld.Shop, Text("Where is my order?"));

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal([1u, 2u, 3u], result.Messages.Select(m => m.Recipient.DeviceId));
        Assert.All(result.Messages, m => Assert.False(m.IsSyncCopy));
        foreach (OutgoingMessage message in result.Messages)
        {
            Content content = await world.DeliverAsync(world.CustomerDevice, message);
            Assert.Equal("Where is my order?", Encoding.UTF8.GetString(content.Message!.Body.Span));
        }
    }

    [Fact]
    public async Task SendAsync_AgentReply_ReachesCustomerAndSyncsToOtherAgents()
    {
        using BusinessWorld world = await BusinessWorld.CreateAsync(1, 2, 3);
        BusinessWorld.Party sam = world.Device(1);

        FanOutResult result = await world.FanOutOf(sam).SendAsync(BusinessWorld.Customer, Text("It ships today.", 1));

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal(["alice.1", "acme-shoes.2", "acme-shoes.3"], result.Messages.Select(m => $"{m.Recipient.Name}.{m.Recipient.DeviceId}"));
        Content toCustomer = await world.DeliverAsync(sam, result.Messages[0]);
        Assert.Equal(1, toCustomer.Message!.CategoryValue);
        foreach (OutgoingMessage copy in result.Messages.Skip(1))
        {
            Assert.True(copy.IsSyncCopy);
            Content content = await world.DeliverAsync(sam, copy);
            Assert.Equal(ContentKind.Sync, content.Kind);
            Assert.Equal(BusinessWorld.Customer, content.Sync!.Recipient);
            Assert.Equal(AccountKind.Person, content.Sync.RecipientKind);
            Assert.Equal("It ships today.", Encoding.UTF8.GetString(content.Sync.Message.Body.Span));
        }
    }

    [Fact]
    public async Task SendAsync_AfterAgentRemoved_RemovedAgentGetsNothing()
    {
        using BusinessWorld world = await BusinessWorld.CreateAsync(1, 2);
        FanOut customer = world.FanOutOf(world.CustomerDevice);
        foreach (OutgoingMessage m in (await customer.SendAsync(BusinessWorld.Shop, Text("hello"))).Messages)
        {
            await world.DeliverAsync(world.CustomerDevice, m);
        }

        await world.RemoveAgentAsync(2);
        FanOutResult after = await customer.SendAsync(BusinessWorld.Shop, Text("second"));

        Assert.Equal([1u], after.Messages.Select(m => m.Recipient.DeviceId));
    }

    [Fact]
    public async Task SendAsync_HostedEndpointAndRefusingApp_HostedEndpointRefused()
    {
        using BusinessWorld world = await BusinessWorld.CreateAsync(1);
        await world.AddAgentAsync(9, processor: "Helpdesk Hosting GmbH");

        FanOutResult refused = await world.FanOutOf(world.CustomerDevice, refuseHosted: true).SendAsync(BusinessWorld.Shop, Text("hi"));
        BusinessInfo? info = await world.CustomerDevice.Directory.GetBusinessInfoAsync(BusinessWorld.Shop);

        Assert.Equal(E2eChatFailure.HostedEndpointRefused, refused.Failure);
        Assert.Empty(refused.Messages);
        Assert.Equal(EndToEnd.ToProcessor, info!.EndToEnd);
        Assert.Equal(["Helpdesk Hosting GmbH"], info.Processors);
        Assert.True((await world.FanOutOf(world.CustomerDevice).SendAsync(BusinessWorld.Shop, Text("hi"))).IsSuccess);
    }

    [Fact]
    public async Task SendAsync_BundleWithAnotherIdentity_BundleIdentityMismatchNothingEncrypted()
    {
        using BusinessWorld world = await BusinessWorld.CreateAsync(1, 2);
        BusinessWorld.Party impostor = world.Device(2);
        var fanOut = new FanOut(world.CustomerDevice.Sessions, world.CustomerDevice.Directory, world.CustomerDevice.Address, async (address, ct) => await impostor.Generator.CreateBundleAsync(ct));

        FanOutResult result = await fanOut.SendAsync(BusinessWorld.Shop, Text("hi"));

        Assert.Equal(E2eChatFailure.BundleIdentityMismatch, result.Failure);
        Assert.Empty(result.Messages);
    }

    [Fact]
    public async Task SendAsync_NoListAccepted_NoDeviceList()
    {
        using BusinessWorld world = await BusinessWorld.CreateAsync(1);

        FanOutResult result = await world.FanOutOf(world.CustomerDevice).SendAsync("other-shop", Text("hi"));

        Assert.Equal(E2eChatFailure.NoDeviceList, result.Failure);
    }
}
