namespace AgentHost.Core.Storage;

/// <summary>One item of a response or conversation (a message, a tool call, a tool output…) as its front door's JSON.</summary>
/// <param name="Id">The item's id, unique within the response or conversation that holds it.</param>
/// <param name="Data">The item's JSON, as the front door writes it.</param>
public sealed record StoredItem(string Id, string Data)
{
    /// <summary>True for an item a response produced (its output), false for one it was given (its input).</summary>
    public bool IsOutput { get; init; }
}
