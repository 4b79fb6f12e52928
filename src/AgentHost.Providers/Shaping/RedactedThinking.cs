using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Core.Domain;
using Anthropic.Models.Messages;
using Microsoft.Extensions.AI;

namespace AgentHost.Providers.Shaping;

/// <summary>
/// Claude's redacted thinking in the neutral history: a <see cref="TextReasoningContent"/> whose payload is the whole
/// encrypted block, marked by <see cref="ReasoningPart.RedactedProperty"/> as it arrives, and sent back as a
/// <c>redacted_thinking</c> block (not a thinking block with that payload as its signature).
/// </summary>
internal static class RedactedThinking
{
    /// <summary>Marks the redacted thinking blocks among <paramref name="contents"/> (they come from the Anthropic adapter whole).</summary>
    public static void Mark(IList<AIContent> contents)
    {
        foreach (var content in contents)
        {
            if (content is TextReasoningContent { RawRepresentation: RedactedThinkingBlock } redacted)
            {
                (redacted.AdditionalProperties ??= [])[ReasoningPart.RedactedProperty] = true;
            }
        }
    }

    /// <summary>True when <paramref name="content"/> is a marked redacted block not yet in Anthropic's own form.</summary>
    public static bool NeedsBlock(AIContent content) =>
        content is TextReasoningContent { ProtectedData.Length: > 0, RawRepresentation: not ContentBlockParam } thought
        && thought.AdditionalProperties?.ContainsKey(ReasoningPart.RedactedProperty) == true;

    /// <summary>The same block with its Anthropic <c>redacted_thinking</c> form, which the adapter sends as it is.</summary>
    public static TextReasoningContent AsBlock(TextReasoningContent content) => new(string.Empty)
    {
        ProtectedData = content.ProtectedData,
        AdditionalProperties = content.AdditionalProperties,
        RawRepresentation = JsonSerializer.Deserialize<ContentBlockParam>(
            new JsonObject { ["type"] = "redacted_thinking", ["data"] = content.ProtectedData }.ToJsonString()),
    };
}
