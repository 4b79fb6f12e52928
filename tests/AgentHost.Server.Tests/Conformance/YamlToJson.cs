using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace AgentHost.Server.Tests.Conformance;

/// <summary>
/// Streams YAML parser events straight into JSON, resolving plain scalars by the YAML 1.2 core
/// schema (null, booleans, numbers); quoted and block scalars stay strings. Aliases are not
/// supported: the OpenAPI spec uses none.
/// </summary>
internal static partial class YamlToJson
{
    public static JsonNode Convert(string yaml)
    {
        // YamlDotNet rejects a block scalar whose only line is blank but indented deeper than its
        // parent (the spec's StopConfiguration example has one); blank lines carry no meaning here.
        yaml = WhitespaceOnlyLine().Replace(yaml, "");

        using var json = new MemoryStream();
        using (var writer = new Utf8JsonWriter(json))
        {
            var parser = new Parser(new StringReader(yaml));
            parser.Consume<StreamStart>();
            parser.Consume<DocumentStart>();
            WriteNode(parser, writer);
        }

        json.Position = 0;
        return JsonNode.Parse(json) ?? throw new InvalidDataException("The YAML document is empty.");
    }

    private static void WriteNode(IParser parser, Utf8JsonWriter writer)
    {
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            WriteScalar(scalar, writer);
        }
        else if (parser.TryConsume<MappingStart>(out _))
        {
            writer.WriteStartObject();
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                writer.WritePropertyName(parser.Consume<Scalar>().Value);
                WriteNode(parser, writer);
            }

            writer.WriteEndObject();
        }
        else if (parser.TryConsume<SequenceStart>(out _))
        {
            writer.WriteStartArray();
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                WriteNode(parser, writer);
            }

            writer.WriteEndArray();
        }
        else
        {
            throw new NotSupportedException($"Unsupported YAML construct at {parser.Current?.Start}.");
        }
    }

    private static void WriteScalar(Scalar scalar, Utf8JsonWriter writer)
    {
        var text = scalar.Value;
        if (scalar.Style != ScalarStyle.Plain)
        {
            writer.WriteStringValue(text);
        }
        else if (text is "" or "~" or "null" or "Null" or "NULL")
        {
            writer.WriteNullValue();
        }
        else if (text is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
        {
            writer.WriteBooleanValue(text[0] is 't' or 'T');
        }
        else if (IntegerPattern().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            writer.WriteNumberValue(integer);
        }
        else if (FloatPattern().IsMatch(text) && decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            writer.WriteNumberValue(number);
        }
        else
        {
            writer.WriteStringValue(text);
        }
    }

    [GeneratedRegex(@"^[ \t]+$", RegexOptions.Multiline)]
    private static partial Regex WhitespaceOnlyLine();

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
