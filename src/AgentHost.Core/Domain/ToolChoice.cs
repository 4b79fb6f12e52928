using System.Text.Json.Serialization;

namespace AgentHost.Core.Domain;

/// <summary><c>"none" | "auto" | "required"</c>, or a named tool <c>{"type": "function", "function": {"name": ...}}</c>.</summary>
[JsonConverter(typeof(ToolChoiceConverter))]
public sealed record ToolChoice
{
    public required string Type { get; init; }

    /// <summary>The function's name when <see cref="Type"/> is <c>function</c>.</summary>
    public string? FunctionName { get; init; }

    public bool IsNamed => Type is not ("none" or "auto" or "required");

    public static readonly ToolChoice Auto = new() { Type = "auto" };
    public static readonly ToolChoice None = new() { Type = "none" };
    public static readonly ToolChoice Required = new() { Type = "required" };
}
