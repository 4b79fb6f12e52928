namespace AgentHost.Core.Observability;

public static class TraceSpanKinds
{
    public const string ModelCall = "model_call";
    public const string ToolCall = "tool_call";

    /// <summary>A budget ended the run before this model call.</summary>
    public const string BudgetStop = "budget_stop";
}
