using System.Text.Json.Nodes;
using AgentHost.Core.Domain;

namespace AgentHost.Server.Responses;

/// <summary>A read and checked <c>POST /v1/responses</c>: what the response echoes, its input items, and what the engine runs.</summary>
internal sealed record ResponseCreation
{
    /// <summary>The request's settings in the response object's shape (model, instructions, tools, text, …), kept as the stored response's data.</summary>
    public required JsonObject Settings { get; init; }

    /// <summary>The input items with their ids, in the Responses wire shape.</summary>
    public required IReadOnlyList<JsonObject> Input { get; init; }

    public required string Model { get; init; }

    public string? Instructions { get; init; }

    public required IReadOnlyList<ToolDefinition> Tools { get; init; }

    public ToolResources ToolResources { get; init; } = new();

    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    public double? Temperature { get; init; }

    public double? TopP { get; init; }

    public string? ReasoningEffort { get; init; }

    /// <summary><c>reasoning.summary</c>: the model is asked to show its reasoning, given as <c>summary_text</c>.</summary>
    public string? ReasoningSummary { get; init; }

    public int? MaxOutputTokens { get; init; }

    public int? MaxToolCalls { get; init; }

    public ToolChoice ToolChoice { get; init; } = ToolChoice.Auto;

    public bool ParallelToolCalls { get; init; } = true;

    public ResponseFormat ResponseFormat { get; init; } = ResponseFormat.Auto;

    public bool TruncationDisabled { get; init; } = true;

    public string? PreviousResponseId { get; init; }

    public string? ConversationId { get; init; }

    public bool Store { get; init; } = true;

    public bool Background { get; init; }

    public bool Stream { get; init; }

    /// <summary>What <c>include[]</c> asked for, e.g. <c>file_search_call.results</c>.</summary>
    public IReadOnlyList<string> Include { get; init; } = [];
}
