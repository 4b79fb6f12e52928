using AgentHost.Providers.Routing;
using AgentHost.Providers.Tests.Upstream;
using Microsoft.Extensions.AI;

namespace AgentHost.Providers.Tests.TestSupport;

/// <summary>Starts a scripted upstream per test and routes to it through the real SDKs.</summary>
public abstract class UpstreamTests : IAsyncLifetime
{
    private protected static readonly ChatMessage[] Question = [new(ChatRole.User, "What's the weather in Paris?")];

    private ModelRouter? _router;

    private protected ScriptedUpstream Upstream { get; private set; } = null!;

    private protected RecordingObserver Observer { get; } = new();

    private protected ModelRouter Router => _router ??= TestRouter.Create(Upstream, Observer);

    /// <summary>Replaces the default router with one configured by <paramref name="configure"/>.</summary>
    private protected ModelRouter UseRouter(Action<ProviderOptions> configure)
    {
        _router?.Dispose();
        return _router = TestRouter.Create(Upstream, Observer, configure);
    }

    public async Task InitializeAsync() => Upstream = await ScriptedUpstream.StartAsync();

    public async Task DisposeAsync()
    {
        _router?.Dispose();
        await Upstream.DisposeAsync();
    }
}
