using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Providers.Shaping;

namespace AgentHost.Providers.Tests.Shaping;

public sealed class ToolSchemaNormalizerTests
{
    [Theory]
    [InlineData(nameof(TargetDialect.Anthropic))]
    [InlineData(nameof(TargetDialect.OpenAI))]
    [InlineData(nameof(TargetDialect.Compatible))]
    public void ASchemaEveryTargetTakes_IsReturnedAsIs(string target)
    {
        var dialect = Enum.Parse<TargetDialect>(target);
        var schema = JsonElement.Parse("""{"type":"object","properties":{"path":{"type":"string","description":"A path"}},"required":["path"]}""");

        var (normalized, changed) = ToolSchemaNormalizer.Normalize(schema, dialect);

        Assert.Empty(changed);
        Assert.Equal(schema.GetRawText(), normalized.GetRawText());
    }

    [Fact]
    public void TopLevelAllOf_MergesEveryBranchsPropertiesAndRequirements()
    {
        var schema = JsonElement.Parse("""
            {"allOf":[{"properties":{"a":{"type":"string"}},"required":["a"]},{"properties":{"b":{"type":"integer"}},"required":["b"]}]}
            """);

        var (normalized, changed) = ToolSchemaNormalizer.Normalize(schema, TargetDialect.Anthropic);

        var result = JsonNode.Parse(normalized.GetRawText())!;
        Assert.Equal(["allOf", "type"], changed);
        Assert.Equal("object", result["type"]!.GetValue<string>());
        Assert.Equal(["a", "b"], result["properties"]!.AsObject().Select(p => p.Key));
        Assert.Equal(["a", "b"], result["required"]!.AsArray().Select(r => r!.GetValue<string>()));
    }

    [Fact]
    public void ARecursiveRef_IsInlinedForACompatibleServer_AndCutAfterFourLevels()
    {
        var schema = JsonElement.Parse("""
            {"type":"object","properties":{"root":{"$ref":"#/$defs/Node"}},
             "$defs":{"Node":{"type":"object","properties":{"name":{"type":"string"},"child":{"$ref":"#/$defs/Node"}}}}}
            """);

        var (normalized, changed) = ToolSchemaNormalizer.Normalize(schema, TargetDialect.Compatible);

        var text = normalized.GetRawText();
        Assert.Contains("$ref", changed);
        Assert.DoesNotContain("$ref", text, StringComparison.Ordinal);
        Assert.DoesNotContain("$defs", text, StringComparison.Ordinal);
        var node = JsonNode.Parse(text)!["properties"]!["root"]!;
        var depth = 0;
        while (node?["properties"]?["child"] is { } child)
        {
            depth++;
            node = child;
        }

        Assert.Equal(4, depth);
        Assert.Equal("object", node!["type"]!.GetValue<string>());
    }
}
