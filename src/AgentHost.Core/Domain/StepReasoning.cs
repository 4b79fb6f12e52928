using System.Text.Json.Serialization;
using Microsoft.Extensions.AI;

namespace AgentHost.Core.Domain;

/// <summary>
/// The reasoning (thinking) the model gave in the turn a step records, kept so it can go back to the model: its text
/// and the provider's opaque payload (Claude's thinking signature, or a redacted block's data), in the order given.
/// Kept in the step's stored record only; no front door's step shape shows it (Assistants steps never carry it).
/// </summary>
public sealed record StepReasoning
{
    /// <summary>The reasoning item's id (<c>rs_…</c>), fixed when the model started reasoning, so a stream and a later read agree.</summary>
    public required string Id { get; init; }

    public required IReadOnlyList<ReasoningPart> Parts { get; init; }

    /// <summary>All the parts' text, in order.</summary>
    [JsonIgnore]
    public string Text => Parts.Count == 1 ? Parts[0].Text : string.Concat(Parts.Select(p => p.Text));
}

/// <summary>
/// One block of reasoning: its text (possibly empty, when the provider withheld it) and the opaque payload that
/// authenticates it to its provider (<c>signature</c>), or the whole encrypted block when <see cref="Redacted"/>.
/// </summary>
public sealed record ReasoningPart(string Text, string? Data)
{
    /// <summary>
    /// The additional property that marks a <c>TextReasoningContent</c> whose payload is a whole redacted block (the
    /// provider layer sets it on what the model sent, and reads it on what goes back).
    /// </summary>
    public const string RedactedProperty = "agenthost.redacted";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Redacted { get; init; }

    /// <summary>The part as the model gave it, to go back to it: text with its payload (a signature), or a redacted block.</summary>
    public static AIContent ToContent(ReasoningPart part) => new TextReasoningContent(part.Text)
    {
        ProtectedData = part.Data,
        AdditionalProperties = part.Redacted ? new AdditionalPropertiesDictionary { [RedactedProperty] = true } : null,
    };
}
