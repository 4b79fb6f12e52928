using System.Text.Json;
using AgentHost.Server.Tests.Support;

namespace AgentHost.Server.Tests.Hosting;

/// <summary>Structured logs on request: <c>Logging:Console:FormatterName=json</c> makes every line one JSON object.</summary>
public sealed class JsonLogsTests
{
    [Fact]
    public async Task JsonFormatter_WritesEachEntryAsOneJsonObject_WithItsEventIdAndFields()
    {
        var dataDir = Directory.CreateTempSubdirectory("agenthost-logs-").FullName;
        try
        {
            using var server = await ServerProcess.StartAsync(ServerProcess.FreePort(), dataDir, "--Logging:Console:FormatterName=json");

            // The warning that no API key is set is logged at start, before the server answers.
            var lines = server.Lines.Where(l => l.Length > 0).ToList();
            Assert.NotEmpty(lines);
            Assert.All(lines, line => Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(line).RootElement.ValueKind));
            var warning = lines.Select(l => JsonDocument.Parse(l).RootElement).Single(e => e.GetProperty("EventId").GetInt32() == 2101);
            Assert.Equal("Warning", warning.GetProperty("LogLevel").GetString());
            Assert.Equal("AgentHost.Server.Http.Safety.HttpSafetyReport", warning.GetProperty("Category").GetString());
            Assert.StartsWith("http://127.0.0.1:", warning.GetProperty("State").GetProperty("Urls").GetString());
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
