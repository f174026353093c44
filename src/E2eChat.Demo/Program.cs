// E2eChat demo. By default: the customer-business story on the real relay (started in process on
// loopback over SQLite in a temporary directory), every participant a ChatDevice over gRPC; exits 0
// only when every step went as expected and no plaintext is in the relay's files.
// "--in-memory": the earlier script over an in-memory key directory and relay.
// "business --relay URL --data DIR" and "customer --relay URL --data DIR --link URI": one participant
// per process against a relay started separately (dotnet run --project src/E2eChat.Relay.Server).
using E2eChat.Demo;

if (args.Length > 0 && args[0] is "business" or "customer")
{
    using var stop = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        stop.Cancel();
    };
    return await ParticipantCommand.RunAsync(args, Console.Out, linkReady: null, stop.Token).ConfigureAwait(false);
}

if (args.Contains("--in-memory"))
{
    Console.WriteLine("E2eChat demo (in memory): a customer chats with a business (two support agents)");
    DemoResult memory = await DemoScript.RunAsync(Console.Out).ConfigureAwait(false);
    return memory.Succeeded ? 0 : 1;
}

Console.WriteLine("E2eChat demo: a customer and a business on the real relay (gRPC on loopback, SQLite everywhere)");
RelayDemoResult result = await RelayDemoScript.RunAsync(Console.Out).ConfigureAwait(false);
return result.Succeeded ? 0 : 1;
