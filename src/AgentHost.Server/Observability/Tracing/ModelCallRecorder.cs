using System.Diagnostics;
using AgentHost.Core.Domain;
using AgentHost.Core.Engine;
using AgentHost.Core.Observability;
using AgentHost.Server.Observability.Metrics;
using Microsoft.Extensions.AI;

namespace AgentHost.Server.Observability.Tracing;

/// <summary>Records one model call: its span in the store, its OpenTelemetry activity and its metrics.</summary>
internal sealed class ModelCallRecorder : IModelCallTrace
{
    private readonly RunTracer tracer;
    private readonly ThreadRun run;
    private readonly Prompt prompt;
    private readonly ChatOptions options;
    private readonly long startTimestamp;
    private readonly long startedAt;
    private readonly Activity? activity;
    private readonly List<TraceEvent> events = [];
    private long? firstUpdateMs;
    private Exception? failure;
    private bool recorded;

    public ModelCallRecorder(RunTracer tracer, ThreadRun run, Prompt prompt, ChatOptions options)
    {
        this.tracer = tracer;
        this.run = run;
        this.prompt = prompt;
        this.options = options;
        startTimestamp = tracer.Time.GetTimestamp();
        startedAt = tracer.Time.GetUtcNow().ToUnixTimeMilliseconds();
        activity = AgentHostTelemetry.Source.StartActivity($"chat {run.Model}", ActivityKind.Client);
        if (activity is not null)
        {
            activity.SetTag("gen_ai.operation.name", "chat");
            activity.SetTag("gen_ai.provider.name", tracer.ProviderOf(run.Model));
            activity.SetTag("gen_ai.request.model", run.Model);
            activity.SetTag("gen_ai.request.max_tokens", options.MaxOutputTokens);
            activity.SetTag("gen_ai.request.temperature", options.Temperature);
            activity.SetTag("gen_ai.request.top_p", options.TopP);
            activity.SetTag("gen_ai.conversation.id", run.ThreadId);
            activity.SetTag("gen_ai.agent.id", run.AssistantId);
            activity.SetTag("agenthost.run.id", run.Id);
        }

        ModelCallContext.Current = this;
    }

    public void AddEvent(TraceEvent traceEvent)
    {
        lock (events)
        {
            events.Add(traceEvent);
        }

        activity?.AddEvent(new ActivityEvent($"gen_ai.{traceEvent.Type}", tags: new ActivityTagsCollection
        {
            ["gen_ai.provider.name"] = traceEvent.Provider,
            ["gen_ai.request.model"] = traceEvent.Model,
            ["http.response.status_code"] = traceEvent.StatusCode,
            ["error.type"] = traceEvent.Reason,
        }));
    }

    public void FirstUpdate() => firstUpdateMs ??= (long)tracer.Time.GetElapsedTime(startTimestamp).TotalMilliseconds;

    public async ValueTask CompleteAsync(ModelCallOutcome outcome)
    {
        recorded = true;
        var elapsed = tracer.Time.GetElapsedTime(startTimestamp);
        var servedBy = outcome.ResponseModel ?? LastFallback() ?? run.Model;
        var provider = tracer.ProviderOf(servedBy);
        var usage = UsageNormalizer.Normalize(outcome.Reported, outcome.Usage);
        var cost = tracer.Prices.Cost(servedBy, usage, DateTimeOffset.FromUnixTimeMilliseconds(startedAt))
            ?? tracer.Prices.Cost(LastFallback() ?? run.Model, usage, DateTimeOffset.FromUnixTimeMilliseconds(startedAt));
        var span = Span(elapsed) with
        {
            Provider = provider,
            ResponseModel = servedBy,
            Response = PromptSnapshot.Response(outcome),
            Usage = usage,
            Cost = cost,
        };

        if (activity is not null)
        {
            activity.SetTag("gen_ai.response.model", servedBy);
            activity.SetTag("gen_ai.usage.input_tokens", usage.InputTokens);
            activity.SetTag("gen_ai.usage.output_tokens", usage.OutputTokens);
            activity.SetTag("gen_ai.usage.cache_read.input_tokens", usage.CachedInputTokens);
            activity.SetTag("gen_ai.usage.cache_creation.input_tokens", usage.CacheWriteTokens);
            activity.SetTag("gen_ai.response.finish_reasons", new[] { outcome.FinishReason ?? "stop" });
            activity.SetTag("agenthost.cost.usd", (double)(cost?.TotalUsd ?? 0m));
        }

        tracer.Metrics.ModelCall(provider, servedBy, "ok", elapsed, firstUpdateMs, usage, cost);
        await tracer.SaveAsync(span);
    }

    public void Fail(Exception exception) => failure = exception;

    public async ValueTask DisposeAsync()
    {
        ModelCallContext.Current = null;
        if (!recorded)
        {
            recorded = true;
            var elapsed = tracer.Time.GetElapsedTime(startTimestamp);
            var error = AgentHostTelemetry.SetFailed(activity, failure, "The call ended without a completion.");
            tracer.Metrics.ModelCall(tracer.ProviderOf(run.Model), run.Model, "error", elapsed, firstUpdateMs, null, null);
            await tracer.SaveAsync(Span(elapsed) with { Status = "error", Error = error, Provider = tracer.ProviderOf(run.Model) });
        }

        activity?.Dispose();
    }

    private string? LastFallback()
    {
        lock (events)
        {
            return events.LastOrDefault(e => e.Type == "fallback")?.FallbackModel;
        }
    }

    private TraceSpan Span(TimeSpan elapsed)
    {
        TraceEvent[] recordedEvents;
        lock (events)
        {
            recordedEvents = [.. events];
        }

        return tracer.NewSpan(TraceSpanKinds.ModelCall, run, startedAt) with
        {
            DurationMs = (long)elapsed.TotalMilliseconds,
            TimeToFirstUpdateMs = firstUpdateMs,
            Model = run.Model,
            Request = PromptSnapshot.Request(run.Model, prompt.Messages, options, prompt.EstimatedTokens),
            Events = recordedEvents,
        };
    }
}
