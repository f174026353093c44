using System.Text;
using FsCheck.Xunit;

namespace E2eChat.Tests.Accounts;

/// <summary>
/// A business whose agents are added and removed while a customer keeps sending: every message
/// reaches exactly the devices of the list current at sending time, each decrypts it once to what was
/// sent, and a removed agent gets nothing after its removal.
/// </summary>
public sealed class FanOutModelTests
{
    private const uint MaxAgent = 6;

    [Property(MaxTest = 20, EndSize = 40)]
    public void AgentsComeAndGo_CustomerKeepsSending_ExactlyTheCurrentDevicesGetEachMessage(byte[] script) =>
        RunAsync(script ?? []).GetAwaiter().GetResult();

    private static async Task RunAsync(byte[] script)
    {
        using BusinessWorld world = await BusinessWorld.CreateAsync(1);
        FanOut customer = world.FanOutOf(world.CustomerDevice);
        var received = new Dictionary<uint, List<string>>();
        var expected = new Dictionary<uint, List<string>>();
        var pending = new List<OutgoingMessage>();
        int sent = 0;
        for (int i = 0; i + 1 < script.Length; i += 2)
        {
            uint agent = 1 + (uint)(script[i + 1] % MaxAgent);
            switch (script[i] % 4)
            {
                case 0 when !world.ListedDevices.Contains(agent):
                    await world.AddAgentAsync(agent);
                    break;
                case 1 when world.ListedDevices.Contains(agent) && world.ListedDevices.Count > 1:
                    await world.RemoveAgentAsync(agent);
                    break;
                case 2:
                    foreach (OutgoingMessage m in pending)
                    {
                        Content content = await world.DeliverAsync(world.CustomerDevice, m);
                        Add(received, m.Recipient.DeviceId, Encoding.UTF8.GetString(content.Message!.Body.Span));
                    }

                    pending.Clear();
                    break;
                default:
                    string text = $"message {sent++}";
                    FanOutResult result = await customer.SendAsync(BusinessWorld.Shop, new ApplicationMessage(Encoding.UTF8.GetBytes(text)));
                    Assert.True(result.IsSuccess, result.ToString());
                    Assert.Equal(world.ListedDevices.Order(), result.Messages.Select(m => m.Recipient.DeviceId).Order());
                    foreach (uint device in world.ListedDevices)
                    {
                        Add(expected, device, text);
                    }

                    pending.AddRange(result.Messages);
                    break;
            }
        }

        foreach (OutgoingMessage m in pending)
        {
            Content content = await world.DeliverAsync(world.CustomerDevice, m);
            Add(received, m.Recipient.DeviceId, Encoding.UTF8.GetString(content.Message!.Body.Span));
        }

        Assert.Equal(expected.Keys.Order(), received.Keys.Order());
        foreach ((uint device, List<string> texts) in expected)
        {
            Assert.Equal(texts, received[device]);
        }
    }

    private static void Add(Dictionary<uint, List<string>> map, uint device, string text)
    {
        if (!map.TryGetValue(device, out List<string>? list))
        {
            map[device] = list = [];
        }

        list.Add(text);
    }
}
