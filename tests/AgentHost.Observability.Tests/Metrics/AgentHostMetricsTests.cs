using AgentHost.Core.Observability;
using AgentHost.Observability.Metrics;

namespace AgentHost.Observability.Tests.Metrics;

/// <summary>The model label stays bounded: invented names that never succeed are reported as <c>other</c>.</summary>
public sealed class AgentHostMetricsTests
{
    [Fact]
    public void InventedModelNames_ShareOneSeries_WhileConfiguredAndProvenModelsKeepTheirs()
    {
        using var metrics = new AgentHostMetrics(() => ["claude-sonnet-4-5"]);

        for (var i = 0; i < 50; i++)
        {
            metrics.ModelCall("anthropic", $"claude-invented-{i}", ModelCallStatuses.Error, TimeSpan.FromMilliseconds(5), null, null, null);
        }

        metrics.ModelCall("anthropic", "claude-sonnet-4-5", ModelCallStatuses.Error, TimeSpan.FromMilliseconds(5), null, null, null);
        metrics.ModelCall("openai", "my-finetune", ModelCallStatuses.Ok, TimeSpan.FromMilliseconds(5), null, null, null);
        metrics.ModelCall("openai", "my-finetune", ModelCallStatuses.Error, TimeSpan.FromMilliseconds(5), null, null, null);
        var text = metrics.Render(new Dictionary<string, long>());

        Assert.DoesNotContain("claude-invented", text);
        Assert.Contains("agenthost_model_call_duration_seconds_count{provider=\"anthropic\",model=\"other\",status=\"error\"} 50", text);
        Assert.Contains("model=\"claude-sonnet-4-5\",status=\"error\"", text);
        Assert.Contains("model=\"my-finetune\",status=\"error\"", text);
    }
}
