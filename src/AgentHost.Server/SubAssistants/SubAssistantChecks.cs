using AgentHost.Core.Domain;
using AgentHost.Core.Tools;
using AgentHost.Core.Tools.SubAssistants;

namespace AgentHost.Server.SubAssistants;

/// <summary>The store checks of <c>assistant</c> tools that a request's field reader cannot make: run where assistants and runs are created.</summary>
internal static class SubAssistantChecks
{
    /// <summary>Refuses (400/404) assistant tools naming a missing assistant, the assistant itself, or one with function tools.</summary>
    public static Task CheckAsync(ToolSources sources, IReadOnlyList<ToolDefinition>? tools, string? selfId, CancellationToken cancellationToken) =>
        tools is not null && tools.Any(t => t.Type == SubAssistantTool.ToolType) && sources.For(SubAssistantTool.ToolType) is SubAssistantTool subAssistants
            ? subAssistants.CheckAsync(tools, selfId, "tools", cancellationToken)
            : Task.CompletedTask;
}
