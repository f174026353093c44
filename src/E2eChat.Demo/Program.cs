// E2eChat demo: a customer chats with a business's two support agents through a key directory and
// a relay that only handle bytes. Exits 0 when every message decrypted as expected, the duplicate
// and the forged envelope were refused, the safety numbers match and no plaintext reached the relay.
using E2eChat.Demo;

Console.WriteLine("E2eChat demo: a customer chats with a business (two support agents)");
DemoResult result = await DemoScript.RunAsync(Console.Out).ConfigureAwait(false);
return result.Succeeded ? 0 : 1;
