using System.Diagnostics;
using System.Text;
using AgentHost.Core.Observability;
using Microsoft.Extensions.AI;

namespace AgentHost.Observability.Tracing;

/// <summary>
/// Records one model call as it goes (first update, text, tool calls, usage, retries and fallbacks) and, when it
/// ends, writes it to the usage ledger, counts it in the metrics and queues its trace span.
/// </summary>
internal sealed class ModelCallRecorder
{
    private readonly ModelCallRecording recording;
    private readonly ModelCallScope scope;
    private readonly string apiKeyId;
    private readonly string model;
    private readonly IReadOnlyList<ChatMessage> messages;
    private readonly ChatOptions? options;
    private readonly long startTimestamp;
    private readonly long startedAt;

    // The project the call is made in, read now: spans are built later, on the trace writer's loop.
    private readonly string project = Core.Storage.ProjectScope.ForWrite;
    private readonly Activity? activity;
    private readonly StringBuilder text = new();
    private readonly List<FunctionCallContent> toolCalls = [];
    private List<TraceEvent>? events;
    private long? firstUpdateMs;
    private UsageDetails? reported;
    private ChatFinishReason? finish;
    private string? responseModel;
    private bool produced;

    public ModelCallRecorder(ModelCallRecording recording, ModelCallScope scope, string model, IReadOnlyList<ChatMessage> messages, ChatOptions? options)
    {
        this.recording = recording;
        this.scope = scope;
        this.model = model;
        this.messages = messages;
        this.options = options;
        apiKeyId = recording.ApiKeyIdOf(scope);
        startTimestamp = recording.Time.GetTimestamp();
        startedAt = recording.Time.GetUtcNow().ToUnixTimeMilliseconds();
        events = DroppedFields(scope, recording.ProviderOf(model), model, startedAt);
        activity = AgentHostTelemetry.Source.StartActivity($"chat {model}", ActivityKind.Client);
        if (activity is not null)
        {
            activity.SetTag("gen_ai.operation.name", "chat");
            activity.SetTag("gen_ai.provider.name", recording.ProviderOf(model));
            activity.SetTag("gen_ai.request.model", model);
            activity.SetTag("gen_ai.request.max_tokens", options?.MaxOutputTokens);
            activity.SetTag("gen_ai.request.temperature", options?.Temperature);
            activity.SetTag("gen_ai.request.top_p", options?.TopP);
            activity.SetTag("gen_ai.conversation.id", scope.ThreadId ?? scope.SessionId);
            activity.SetTag("gen_ai.agent.id", scope.AssistantId);
            activity.SetTag("agenthost.entry_point", scope.EntryPoint);
            activity.SetTag("agenthost.run.id", scope.RunId);
            activity.SetTag("agenthost.session.id", scope.SessionId);
        }
    }

    /// <summary>The request fields that were not carried, as trace events of type <c>dropped_field</c>.</summary>
    private static List<TraceEvent>? DroppedFields(ModelCallScope scope, string provider, string model, long at)
    {
        if (scope.DroppedFields.Count == 0)
        {
            return null;
        }

        var dropped = new List<TraceEvent>(scope.DroppedFields.Count);
        foreach (var field in scope.DroppedFields)
        {
            dropped.Add(new TraceEvent { Type = "dropped_field", At = at, Provider = provider, Model = model, Reason = field + ": accepted, not carried to the model" });
        }

        return dropped;
    }

    /// <summary>What was left of the tightest session or API key budget when the call started; passing it is recorded.</summary>
    public Budgets.BudgetHeadroom? Headroom { get; init; }

    /// <summary>The call's id, shared by its ledger row and its trace span.</summary>
    public string Id { get; } = ModelCallRecording.NewId();

    public void AddEvent(TraceEvent traceEvent)
    {
        lock (text)
        {
            (events ??= []).Add(traceEvent);
        }

        activity?.AddEvent(new ActivityEvent($"gen_ai.{traceEvent.Type}", tags: new ActivityTagsCollection
        {
            ["gen_ai.provider.name"] = traceEvent.Provider,
            ["gen_ai.request.model"] = traceEvent.Model,
            ["http.response.status_code"] = traceEvent.StatusCode,
            ["error.type"] = traceEvent.Reason,
        }));
    }

    /// <summary>A streamed update went out to the caller.</summary>
    public void Observe(ChatResponseUpdate update)
    {
        if (!produced)
        {
            produced = true;
            firstUpdateMs = (long)recording.Time.GetElapsedTime(startTimestamp).TotalMilliseconds;
        }

        finish = update.FinishReason ?? finish;
        responseModel = update.ModelId ?? responseModel;
        foreach (var content in update.Contents)
        {
            switch (content)
            {
                case TextContent delta:
                    text.Append(delta.Text);
                    break;
                case FunctionCallContent call:
                    toolCalls.Add(call);
                    break;
                case UsageContent usage:
                    reported = usage.Details;
                    break;
            }
        }
    }

    /// <summary>The whole answer of a call that was not streamed.</summary>
    public void Observe(ChatResponse response)
    {
        produced = true;
        finish = response.FinishReason;
        responseModel = response.ModelId;
        reported = response.Usage;
        foreach (var message in response.Messages)
        {
            foreach (var content in message.Contents)
            {
                switch (content)
                {
                    case TextContent part:
                        text.Append(part.Text);
                        break;
                    case FunctionCallContent call:
                        toolCalls.Add(call);
                        break;
                }
            }
        }
    }

    /// <summary>
    /// The call is over: <c>ok</c>, <c>error</c> (<paramref name="failure"/>) or <c>cancelled</c> (the caller went
    /// away). What a cut-off call produced is still counted, its usage AgentHost's estimate.
    /// </summary>
    public async Task EndAsync(string status, Exception? failure)
    {
        var elapsed = recording.Time.GetElapsedTime(startTimestamp);
        var lastFallback = LastFallback();
        var servedBy = responseModel ?? lastFallback ?? model;
        var provider = recording.ProviderOf(servedBy);
        var usage = status == ModelCallStatuses.Ok || produced
            ? UsageNormalizer.Normalize(reported, EstimateInput, EstimateOutput)
            : null;
        var cost = usage is null
            ? null
            : recording.Prices.Cost(servedBy, usage, DateTimeOffset.FromUnixTimeMilliseconds(startedAt))
                ?? recording.Prices.Cost(lastFallback ?? model, usage, DateTimeOffset.FromUnixTimeMilliseconds(startedAt));
        var error = status switch
        {
            ModelCallStatuses.Ok => null,
            ModelCallStatuses.Cancelled => "The caller went away before the call finished; tokens and cost are estimated from what was produced.",
            _ => AgentHostTelemetry.SetFailed(activity, failure, "The call ended without a completion."),
        };
        var names = toolCalls.Count == 0 ? [] : toolCalls.ConvertAll(c => c.Name);
        if (Headroom?.Overshoot(usage, cost) is { } overshoot)
        {
            AddEvent(new TraceEvent { Type = "budget_overshoot", At = startedAt + (long)elapsed.TotalMilliseconds, Provider = provider, Model = servedBy, Reason = overshoot });
        }

        await recording.RecordAsync(new ModelCallRecord
        {
            Id = Id,
            StartedAt = startedAt,
            DurationMs = (long)elapsed.TotalMilliseconds,
            TimeToFirstUpdateMs = firstUpdateMs,
            EntryPoint = scope.EntryPoint,
            ApiKeyId = apiKeyId,
            SessionId = scope.SessionId,
            RunId = scope.RunId,
            ParentRunIds = scope.ParentRunIds,
            ThreadId = scope.ThreadId,
            AssistantId = scope.AssistantId,
            Provider = provider,
            Model = model,
            ServedModel = responseModel ?? lastFallback,
            Status = status,
            Error = error,
            StopReason = finish?.Value,
            Usage = usage,
            Cost = cost,
            ToolsOffered = options?.Tools?.Count ?? 0,
            ToolCalls = names,
        });
        recording.Metrics.ModelCall(project, provider, servedBy, status, elapsed, firstUpdateMs, usage, cost);
        if (scope.RunId is { } runId && cost is not null)
        {
            recording.CostShares.Record(runId, cost, toolCalls.ConvertAll(c => c.CallId));
        }

        if (activity is not null)
        {
            activity.SetTag("gen_ai.response.model", servedBy);
            activity.SetTag("gen_ai.usage.input_tokens", usage?.InputTokens);
            activity.SetTag("gen_ai.usage.output_tokens", usage?.OutputTokens);
            activity.SetTag("gen_ai.usage.cache_read.input_tokens", usage?.CachedInputTokens);
            activity.SetTag("gen_ai.usage.cache_creation.input_tokens", usage?.CacheWriteTokens);
            activity.SetTag("gen_ai.response.finish_reasons", new[] { finish?.Value ?? "stop" });
            activity.SetTag("agenthost.cost.usd", (double)(cost?.TotalUsd ?? 0m));
            activity.Dispose();
        }

        if (recording.Traces.Enabled)
        {
            var answer = text.ToString();
            TraceEvent[] recordedEvents;
            lock (text)
            {
                recordedEvents = events is null ? [] : [.. events];
            }

            // The snapshots (the whole prompt as JSON) are built on the trace writer's loop, off the call's path.
            recording.Traces.Enqueue(() => ModelCallRecording.NewSpan(TraceSpanKinds.ModelCall, scope, apiKeyId, project, startedAt, Id) with
            {
                DurationMs = (long)elapsed.TotalMilliseconds,
                TimeToFirstUpdateMs = firstUpdateMs,
                Status = status,
                Error = error,
                Provider = provider,
                Model = model,
                ResponseModel = usage is null ? null : servedBy,
                Request = PromptSnapshot.Request(model, messages, options, scope.EstimatedPromptTokens),
                Response = produced ? PromptSnapshot.Response(responseModel, answer, toolCalls, finish?.Value) : null,
                Usage = usage,
                Cost = cost,
                Events = recordedEvents,
            });
        }
    }

    private int EstimateInput() => scope.EstimatedPromptTokens ?? PromptTokenEstimate.Prompt(recording.Tokens, messages, options);

    private int EstimateOutput()
    {
        var count = recording.Tokens.CountTokens(text.ToString());
        foreach (var call in toolCalls)
        {
            count += PromptTokenEstimate.Call(recording.Tokens, call);
        }

        return count;
    }

    private string? LastFallback()
    {
        lock (text)
        {
            return events?.LastOrDefault(e => e.Type == "fallback")?.FallbackModel;
        }
    }
}
