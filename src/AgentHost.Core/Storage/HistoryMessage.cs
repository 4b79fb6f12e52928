using AgentHost.Core.Domain;

namespace AgentHost.Core.Storage;

/// <summary>
/// A thread message as a history reader pages through it, newest first.
/// </summary>
/// <param name="Cursor">Where the message stands in its thread; the next (older) page starts before it.</param>
/// <param name="Tokens">Its prompt token count as counted when it was written, or null when none was stored.</param>
/// <param name="TokensKey">What counted <paramref name="Tokens"/> (<see cref="Engine.PromptTokens.Key"/>); a count under another key is counted again.</param>
public sealed record HistoryMessage(ThreadMessage Message, long Cursor, int? Tokens, string? TokensKey);
