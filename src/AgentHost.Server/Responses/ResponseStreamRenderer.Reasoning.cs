using System.Text;
using System.Text.Json.Nodes;
using AgentHost.Core.Events;

namespace AgentHost.Server.Responses;

/// <summary>
/// The stream events of a <c>reasoning</c> item: <c>response.output_item.added</c>, then, when <c>reasoning.summary</c> asked
/// for the reasoning, one summary part (<c>response.reasoning_summary_part.added</c>,
/// <c>response.reasoning_summary_text.delta</c>…, <c>.done</c>, <c>response.reasoning_summary_part.done</c>), then
/// <c>response.output_item.done</c> with the whole item (its <c>encrypted_content</c> when the view carries it).
/// </summary>
internal sealed partial class ResponseStreamRenderer
{
    private readonly StringBuilder summary = new();
    private bool summaryOpen;

    private List<JsonObject> ReasoningDeltaEvents(ReasoningDelta delta, string itemId)
    {
        var events = ReasoningStarted(itemId, out var index);
        if (!view.ReasoningSummary)
        {
            return events;
        }

        if (!summaryOpen)
        {
            summaryOpen = true;
            summary.Clear();
            events.Add(Event("response.reasoning_summary_part.added", SummaryPart(itemId, index, ("part", ResponseOutput.SummaryText(string.Empty)))));
        }

        summary.Append(delta.Text);
        events.Add(Event("response.reasoning_summary_text.delta", SummaryPart(itemId, index, ("delta", delta.Text))));
        return events;
    }

    private List<JsonObject> ReasoningDone(ReasoningCompleted completed)
    {
        var itemId = completed.Reasoning.Id;
        var events = ReasoningStarted(itemId, out var index);
        if (summaryOpen)
        {
            summaryOpen = false;
            var text = summary.ToString();
            events.Add(Event("response.reasoning_summary_text.done", SummaryPart(itemId, index, ("text", text))));
            events.Add(Event("response.reasoning_summary_part.done", SummaryPart(itemId, index, ("part", ResponseOutput.SummaryText(text)))));
        }

        events.Add(Event("response.output_item.done", new JsonObject { ["output_index"] = index, ["item"] = ResponseOutput.Reasoning(completed.Reasoning, view, seal) }));
        return events;
    }

    /// <summary>Adds the reasoning item when it is new (its <c>output_item.added</c> event is returned); its index either way.</summary>
    private List<JsonObject> ReasoningStarted(string itemId, out int index)
    {
        if (IndexOf(itemId) is int known)
        {
            index = known;
            return [];
        }

        index = Add(itemId);
        var item = new JsonObject { ["id"] = itemId, ["type"] = "reasoning", ["summary"] = new JsonArray() };
        return [Event("response.output_item.added", new JsonObject { ["output_index"] = index, ["item"] = item })];
    }

    private static JsonObject SummaryPart(string itemId, int index, (string Name, JsonNode? Value) content) => new()
    {
        ["item_id"] = itemId,
        ["output_index"] = index,
        ["summary_index"] = 0,
        [content.Name] = content.Value,
    };
}
