using System.Diagnostics.Metrics;
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
            metrics.ModelCall("default", "anthropic", $"claude-invented-{i}", ModelCallStatuses.Error, TimeSpan.FromMilliseconds(5), null, null, null);
        }

        metrics.ModelCall("default", "anthropic", "claude-sonnet-4-5", ModelCallStatuses.Error, TimeSpan.FromMilliseconds(5), null, null, null);
        metrics.ModelCall("default", "openai", "my-finetune", ModelCallStatuses.Ok, TimeSpan.FromMilliseconds(5), null, null, null);
        metrics.ModelCall("default", "openai", "my-finetune", ModelCallStatuses.Error, TimeSpan.FromMilliseconds(5), null, null, null);
        var text = metrics.Render(new Dictionary<string, long>());

        Assert.DoesNotContain("claude-invented", text);
        Assert.Contains("agenthost_model_call_duration_seconds_count{project=\"default\",provider=\"anthropic\",model=\"other\",status=\"error\"} 50", text);
        Assert.Contains("model=\"claude-sonnet-4-5\",status=\"error\"", text);
        Assert.Contains("model=\"my-finetune\",status=\"error\"", text);
    }

    [Fact]
    public void ARenderForOneProject_ShowsOnlyItsSeries_AndTheFullRenderShowsEveryProject()
    {
        using var metrics = new AgentHostMetrics(() => ["gpt-4o"]);
        metrics.ModelCall("proj_a", "openai", "gpt-4o", ModelCallStatuses.Ok, TimeSpan.FromMilliseconds(5), null, new TraceUsage { InputTokens = 10, OutputTokens = 1 }, null);
        metrics.ModelCall("proj_b", "openai", "gpt-4o", ModelCallStatuses.Ok, TimeSpan.FromMilliseconds(5), null, new TraceUsage { InputTokens = 20, OutputTokens = 2 }, null);
        metrics.ToolCall("proj_b", "code_interpreter", TimeSpan.FromMilliseconds(5), failed: true);

        var forA = metrics.Render(new Dictionary<string, long>(), "proj_a");
        var all = metrics.Render(new Dictionary<string, long>());

        Assert.Contains("agenthost_model_tokens_total{project=\"proj_a\",provider=\"openai\",model=\"gpt-4o\",type=\"input\"} 10\n", forA);
        Assert.DoesNotContain("proj_b", forA);
        Assert.Contains("# TYPE agenthost_tool_call_errors_total counter\n", forA);
        Assert.Contains("agenthost_model_tokens_total{project=\"proj_b\",provider=\"openai\",model=\"gpt-4o\",type=\"input\"} 20\n", all);
        Assert.Contains("agenthost_tool_call_errors_total{project=\"proj_b\",tool=\"code_interpreter\"} 1\n", all);
        Assert.Contains("project=\"proj_a\"", all);
    }

    [Fact]
    public void TheMetersInstruments_CarryTheProjectOfEachMeasurement()
    {
        // Other tests' metrics publish on a meter of the same name at the same time: only this test's projects are kept.
        var seen = new List<(string Instrument, string? Project)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == Tracing.AgentHostTelemetry.Name)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        void Record<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
        {
            foreach (var tag in tags)
            {
                if (tag.Key == AgentHostMetrics.ProjectAttribute && tag.Value is string project && project.StartsWith("proj_otel_", StringComparison.Ordinal))
                {
                    lock (seen)
                    {
                        seen.Add((instrument.Name, project));
                    }
                }
            }
        }

        listener.SetMeasurementEventCallback<double>(Record);
        listener.SetMeasurementEventCallback<long>(Record);
        listener.Start();
        using var metrics = new AgentHostMetrics(() => ["gpt-4o"]);

        metrics.ModelCall("proj_otel_a", "openai", "gpt-4o", ModelCallStatuses.Ok, TimeSpan.FromMilliseconds(5), null, new TraceUsage { InputTokens = 10, OutputTokens = 1 },
            new TraceCost { InputUsd = 0.01m, CachedInputUsd = 0, CacheWriteUsd = 0, OutputUsd = 0.001m, PricedAs = "gpt-4o" });
        metrics.ToolCall("proj_otel_b", "code_interpreter", TimeSpan.FromMilliseconds(5), failed: false);

        lock (seen)
        {
            Assert.Equal(
                [("agenthost.model.cost", "proj_otel_a"), ("agenthost.tool.duration", "proj_otel_b"), ("gen_ai.client.operation.duration", "proj_otel_a"),
                    ("gen_ai.client.token.usage", "proj_otel_a"), ("gen_ai.client.token.usage", "proj_otel_a")],
                seen.Order());
        }
    }
}
