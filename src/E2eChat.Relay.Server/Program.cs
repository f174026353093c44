using E2eChat.Relay.Server.Hosting;

await using WebApplication app = await RelayApplication.CreateAsync(args).ConfigureAwait(false);
await app.RunAsync().ConfigureAwait(false);
