using AgentHost.Core.Domain;
using AgentHost.Core.Observability;

namespace AgentHost.Server.Observability;

/// <summary>
/// Function calls run in the caller's program, not here, so the trace shows them from the run's steps: each one
/// right after the model call that asked for it, with the output the caller submitted and how long it took.
/// </summary>
internal static class FunctionCallSpans
{
    public static IReadOnlyList<TraceSpan> Merge(IReadOnlyList<TraceSpan> spans, IReadOnlyList<RunStep> steps)
    {
        var functions = steps
            .Where(s => s.StepDetails.ToolCalls is not null)
            .SelectMany(s => s.StepDetails.ToolCalls!.Where(c => c.Function is not null).Select(c => (Step: s, Call: c)))
            .ToList();
        if (functions.Count == 0)
        {
            return spans;
        }

        var merged = new List<TraceSpan>(spans.Count + functions.Count);
        var placed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var span in spans)
        {
            merged.Add(span);
            if (span.Kind != TraceSpanKinds.ModelCall || span.Response is not { } response
                || !response.TryGetProperty("tool_calls", out var calls))
            {
                continue;
            }

            foreach (var asked in calls.EnumerateArray())
            {
                var id = asked.GetProperty("id").GetString();
                if (functions.FirstOrDefault(f => f.Call.Id == id) is { Call: not null } match && placed.Add(match.Call.Id))
                {
                    merged.Add(ToSpan(match.Step, match.Call, span.StartedAt + span.DurationMs));
                }
            }
        }

        merged.AddRange(functions.Where(f => placed.Add(f.Call.Id)).Select(f => ToSpan(f.Step, f.Call, f.Step.CreatedAt * 1000)));
        return merged;
    }

    private static TraceSpan ToSpan(RunStep step, StepToolCall call, long startedAt) => new()
    {
        Id = "span_" + call.Id,
        Kind = TraceSpanKinds.ToolCall,
        RunId = step.RunId,
        ThreadId = step.ThreadId,
        AssistantId = step.AssistantId,
        StartedAt = startedAt,
        DurationMs = step.CompletedAt is { } done ? Math.Max(0, (done * 1000) - startedAt) : 0,
        Status = call.Function!.Output is null ? "pending" : "ok",
        ToolCallId = call.Id,
        ToolType = "function:" + call.Function.Name,
        Input = call.Function.Arguments,
        Output = call.Function.Output,
    };
}
