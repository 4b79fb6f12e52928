using System.Globalization;
using System.Text.RegularExpressions;
using AgentHost.Server.Tests.Support;
using OpenAI.Assistants;

namespace AgentHost.Server.Tests.Observability;

public sealed partial class MetricsTests
{
    [Fact]
    public async Task Metrics_AfterARun_AreValidPrometheusTextWithRunsTokensCostAndLatency()
    {
        await using var server = await AgentHostServer.StartAsync();
        server.Upstream.Enqueue(ScriptedTurn.Say("hi") with { PromptTokens = 1000, CompletionTokens = 100 });
        var client = server.Assistants();
        Assistant assistant = await client.CreateAssistantAsync("gpt-4o-mini");
        await client.WaitAsync(await client.CreateThreadAndRunAsync(assistant.Id, new ThreadCreationOptions { InitialMessages = { "hi" } }));

        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUri.GetLeftPart(UriPartial.Authority)) };
        using var response = await http.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        var samples = Parse(text);
        Assert.Equal(1, samples["agenthost_runs{status=\"completed\"}"]);
        Assert.Equal(0, samples["agenthost_run_queue_depth"]);
        Assert.Equal(1000, samples["agenthost_model_tokens_total{project=\"default\",provider=\"openai\",model=\"gpt-4o-mini\",type=\"input\"}"]);
        Assert.Equal(100, samples["agenthost_model_tokens_total{project=\"default\",provider=\"openai\",model=\"gpt-4o-mini\",type=\"output\"}"]);
        // 1,000 × $0.15 + 100 × $0.60, per million.
        Assert.Equal(0.00021, samples["agenthost_model_cost_usd_total{project=\"default\",provider=\"openai\",model=\"gpt-4o-mini\"}"], 10);
        Assert.Equal(1, samples["agenthost_model_call_duration_seconds_count{project=\"default\",provider=\"openai\",model=\"gpt-4o-mini\",status=\"ok\"}"]);
        Assert.Equal(1, samples["agenthost_model_call_duration_seconds_bucket{project=\"default\",provider=\"openai\",model=\"gpt-4o-mini\",status=\"ok\",le=\"+Inf\"}"]);
    }

    [Fact]
    public async Task Metrics_WithAProjectKey_ShowOnlyThatProjectsSeriesAndRuns_AndWithTheAdminKeyEveryProjects()
    {
        await using var server = await AgentHostServer.StartAsync(settings: Tenancy.TenancyAdmin.Settings());
        using var admin = new Tenancy.TenancyAdmin(server);
        var projectA = await admin.CreateProjectAsync("A");
        var projectB = await admin.CreateProjectAsync("B");
        var (_, keyA) = await admin.CreateKeyAsync(projectA);
        var (_, keyB) = await admin.CreateKeyAsync(projectB);
        server.Upstream.Enqueue(
            ScriptedTurn.Say("a") with { PromptTokens = 1000, CompletionTokens = 100 },
            ScriptedTurn.Say("b") with { PromptTokens = 2000, CompletionTokens = 200 });
        var assistants = server.Assistants(keyA);
        Assistant assistant = await assistants.CreateAssistantAsync("gpt-4o-mini");
        await assistants.WaitAsync(await assistants.CreateThreadAndRunAsync(assistant.Id, new ThreadCreationOptions { InitialMessages = { "hi" } }));
        await server.Chat("gpt-4o-mini", keyB).CompleteChatAsync("hi");

        var forA = Parse(await ScrapeAsync(server, keyA));
        var forB = Parse(await ScrapeAsync(server, keyB));
        var forAdmin = Parse(await ScrapeAsync(server, Tenancy.TenancyAdmin.AdminKey));

        var inputA = $"agenthost_model_tokens_total{{project=\"{projectA}\",provider=\"openai\",model=\"gpt-4o-mini\",type=\"input\"}}";
        var inputB = $"agenthost_model_tokens_total{{project=\"{projectB}\",provider=\"openai\",model=\"gpt-4o-mini\",type=\"input\"}}";
        Assert.Equal(1000, forA[inputA]);
        Assert.DoesNotContain(forA.Keys, k => k.Contains(projectB, StringComparison.Ordinal));
        Assert.Equal(1, forA["agenthost_runs{status=\"completed\"}"]);
        Assert.Equal(2000, forB[inputB]);
        Assert.DoesNotContain(forB.Keys, k => k.Contains(projectA, StringComparison.Ordinal));
        Assert.False(forB.ContainsKey("agenthost_runs{status=\"completed\"}"));
        Assert.Equal((1000, 2000), (forAdmin[inputA], forAdmin[inputB]));
        Assert.Equal(1, forAdmin["agenthost_runs{status=\"completed\"}"]);
    }

    private static async Task<string> ScrapeAsync(AgentHostServer server, string key)
    {
        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUri.GetLeftPart(UriPartial.Authority)) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        using var response = await http.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>
    /// Parses the text exposition format strictly: every line is a comment (HELP/TYPE naming a declared family),
    /// or <c>name{labels} value</c>; families are declared once, before their samples, and histogram buckets rise.
    /// </summary>
    private static Dictionary<string, double> Parse(string text)
    {
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var lastBucket = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.TrimEnd('\n').Split('\n'))
        {
            if (line.StartsWith('#'))
            {
                var comment = CommentLine().Match(line);
                Assert.True(comment.Success, $"Bad comment line: {line}");
                if (comment.Groups[1].Value == "TYPE")
                {
                    Assert.True(types.TryAdd(comment.Groups[2].Value, comment.Groups[3].Value), $"Family declared twice: {line}");
                    Assert.Contains(comment.Groups[3].Value, new[] { "counter", "gauge", "histogram", "summary", "untyped" });
                }

                continue;
            }

            var sample = SampleLine().Match(line);
            Assert.True(sample.Success, $"Bad sample line: {line}");
            var name = sample.Groups[1].Value;
            var family = types.Keys.SingleOrDefault(f => name == f || (types[f] == "histogram" && name is var n && (n == f + "_bucket" || n == f + "_sum" || n == f + "_count")));
            Assert.True(family is not null, $"Sample before its TYPE: {line}");
            var value = sample.Groups[3].Value == "+Inf" ? double.PositiveInfinity : double.Parse(sample.Groups[3].Value, CultureInfo.InvariantCulture);
            if (name.EndsWith("_bucket", StringComparison.Ordinal))
            {
                var series = LeLabel().Replace(sample.Groups[2].Value, string.Empty);
                Assert.True(value >= lastBucket.GetValueOrDefault(series), $"Buckets must not fall: {line}");
                lastBucket[series] = value;
            }

            Assert.True(samples.TryAdd(name + sample.Groups[2].Value, value), $"Duplicate series: {line}");
        }

        return samples;
    }

    [GeneratedRegex(",?le=\"[^\"]*\"")]
    private static partial Regex LeLabel();

    [GeneratedRegex("""^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$""")]
    private static partial Regex CommentLine();

    [GeneratedRegex("""^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? ([-+]?(?:[0-9.]+(?:[eE][-+]?[0-9]+)?|\+Inf|NaN))$""")]
    private static partial Regex SampleLine();
}
