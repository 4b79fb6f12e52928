namespace AgentHost.Core.Tools;

/// <summary>The caller's answer to a <see cref="ToolApprovalRequest"/>: approve, or deny with a reason the model reads.</summary>
public sealed record ToolDecision(bool Approved, string? Reason)
{
    /// <summary>
    /// Reads an output submitted for an approval: <c>approve</c> (also <c>approved</c>, <c>yes</c>, <c>true</c>), or
    /// <c>deny</c> / <c>deny: reason</c>. Anything else is null.
    /// </summary>
    public static ToolDecision? Parse(string output)
    {
        var text = output.Trim();
        if (text.ToLowerInvariant() is "approve" or "approved" or "yes" or "true" or "allow")
        {
            return new ToolDecision(true, null);
        }

        foreach (var word in new[] { "deny", "denied", "reject", "no" })
        {
            if (text.Equals(word, StringComparison.OrdinalIgnoreCase))
            {
                return new ToolDecision(false, null);
            }

            if (text.StartsWith(word + ":", StringComparison.OrdinalIgnoreCase))
            {
                var reason = text[(word.Length + 1)..].Trim();
                return new ToolDecision(false, reason.Length == 0 ? null : reason);
            }
        }

        return null;
    }
}
