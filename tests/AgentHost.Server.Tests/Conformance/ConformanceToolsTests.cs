namespace AgentHost.Server.Tests.Conformance;

public sealed class ConformanceToolsTests
{
    [SharedFact]
    public void Spec_Loads()
    {
        var result = OpenApiSchemaValidator.Validate("""{"id":"x"}""", "RunObject");
        Assert.False(result.IsValid, result.ToString());
        Console.WriteLine(OpenApiSchemaValidator.LoadTime);
        Console.WriteLine(result);
    }
}
