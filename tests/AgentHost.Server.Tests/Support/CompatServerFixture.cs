namespace AgentHost.Server.Tests.Support;

/// <summary>One AgentHost (with no retries) shared by a test class; its tests run one after another, so the script is theirs.</summary>
public sealed class CompatServerFixture : IAsyncLifetime
{
    public AgentHostServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await CompatClients.StartWithoutRetriesAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
