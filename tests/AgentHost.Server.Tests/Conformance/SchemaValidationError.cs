namespace AgentHost.Server.Tests.Conformance;

/// <summary>One failed constraint: where in the instance, which keyword, and why.</summary>
internal sealed record SchemaValidationError(string InstanceLocation, string Keyword, string Message, string SchemaLocation)
{
    public override string ToString() =>
        $"{(InstanceLocation.Length == 0 ? "(root)" : InstanceLocation)}: {Message} [{Keyword} at {SchemaLocation}]";
}
