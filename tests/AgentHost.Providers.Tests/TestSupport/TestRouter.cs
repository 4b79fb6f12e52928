using AgentHost.Providers.Routing;
using AgentHost.Providers.Tests.Upstream;
using Microsoft.Extensions.Options;

namespace AgentHost.Providers.Tests.TestSupport;

internal static class TestRouter
{
    /// <summary>Logical delays run this many times faster, so a 2 s retry-after costs the test 20 ms.</summary>
    public const double Speedup = 100;

    /// <summary>A router whose Anthropic and OpenAI both point at <paramref name="upstream"/>, with test-sized retries.</summary>
    public static ModelRouter Create(ScriptedUpstream upstream, RecordingObserver? observer = null, Action<ProviderOptions>? configure = null)
    {
        var options = new ProviderOptions
        {
            Anthropic = { ApiKey = "sk-ant-test", BaseUrl = upstream.BaseUrl },
            OpenAI = { ApiKey = "sk-openai-test", BaseUrl = upstream.OpenAIBaseUrl },
            Retry =
            {
                MaxAttempts = 3,
                BaseDelay = TimeSpan.FromMilliseconds(100),
                MaxDelay = TimeSpan.FromSeconds(30),
                AttemptTimeout = TimeSpan.FromHours(1),
            },
        };
        configure?.Invoke(options);
        return Create(options, observer);
    }

    public static ModelRouter Create(ProviderOptions options, RecordingObserver? observer = null) =>
        new(Options.Create(options), new ScaledTimeProvider(Speedup), observer is null ? [] : [observer], []);
}
