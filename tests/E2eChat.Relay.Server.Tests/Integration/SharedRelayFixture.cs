namespace E2eChat.Relay.Server.Tests.Integration;

/// <summary>One real relay for a test class (tests use fresh account names, so they never meet).</summary>
public sealed class SharedRelayFixture : IAsyncLifetime
{
    internal RelayTestServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await RelayTestServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
