using Microsoft.Extensions.AI;

namespace AgentHost.Core.Tools;

/// <summary>A recorded tool call as the model saw it: the function name and arguments it sent and the output it read.</summary>
public sealed record ToolCallView(string Name, string Arguments, string Output)
{
    /// <summary>True when the output is an error the model should read as one.</summary>
    public bool IsError { get; init; }

    /// <summary>Images (or other media) the call returned, shown to the model after the call's output.</summary>
    public IReadOnlyList<AIContent> Media { get; init; } = [];
}
