using AgentHost.Core.Domain;
using Microsoft.Extensions.AI;

namespace AgentHost.Core.Engine;

/// <summary>
/// Collects a streamed turn's reasoning into a <see cref="StepReasoning"/>: thinking text arrives in deltas and a block
/// ends with its opaque payload (Claude's signature arrives as a content of its own, with no text); a redacted block
/// arrives whole. A turn without reasoning never creates one.
/// </summary>
internal sealed class TurnReasoning
{
    private readonly List<ReasoningPart> parts = [];
    private readonly System.Text.StringBuilder text = new();
    private bool open;

    public string Id { get; } = IdGenerator.Reasoning();

    /// <summary>True once the record is complete (<see cref="Complete"/> ran).</summary>
    public bool Completed { get; private set; }

    /// <summary>Adds a reasoning content; returns the text to publish as a delta (empty for a payload alone).</summary>
    public string Add(TextReasoningContent content)
    {
        if (content.AdditionalProperties?.ContainsKey(ReasoningPart.RedactedProperty) == true && content.ProtectedData is { } redacted)
        {
            Flush(null);
            parts.Add(new ReasoningPart(string.Empty, redacted) { Redacted = true });
            return string.Empty;
        }

        var delta = content.Text ?? string.Empty;
        text.Append(delta);
        open = true;
        if (!string.IsNullOrEmpty(content.ProtectedData))
        {
            Flush(content.ProtectedData);
        }

        return delta;
    }

    /// <summary>The record, once <see cref="Complete"/> ran.</summary>
    public StepReasoning? Record { get; private set; }

    /// <summary>The record of everything added; later reasoning contents of the turn are not part of it.</summary>
    public StepReasoning Complete()
    {
        Flush(null);
        Completed = true;
        Record = new StepReasoning { Id = Id, Parts = [.. parts] };
        return Record;
    }

    private void Flush(string? data)
    {
        if (open)
        {
            parts.Add(new ReasoningPart(text.ToString(), data));
            text.Clear();
            open = false;
        }
    }
}
