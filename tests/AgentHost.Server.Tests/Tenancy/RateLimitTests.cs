using System.ClientModel;
using System.Net;
using System.Text.Json;
using AgentHost.Server.Tests.Support;
using Anthropic.Exceptions;
using Anthropic.Models.Messages;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using OpenAI.Assistants;
using OpenAI.Chat;

namespace AgentHost.Server.Tests.Tenancy;

/// <summary>
/// Rate limits per project and per key through the official SDKs: 429s in each API's envelope with its headers, a
/// refused call that costs nothing and reaches no model, tokens settled from usage, runs failing as OpenAI's do, the
/// Admin API's <c>…/rate_limits</c>, and the checks at start. The clock is a fake one set 10 s into a minute, so the
/// window cannot roll over mid-test and its reset is known (50 s).
/// </summary>
public sealed class RateLimitTests
{
    [Fact]
    public async Task ChatCompletions_PastTheProjectsRequestLimit_Answer429WithOpenAIHeaders_AndLoseNothing()
    {
        var clock = Clock();
        await using var server = await StartAsync(clock, new() { ["AgentHost:RateLimits:Project:gpt-4o:RequestsPerMinute"] = "2" });
        using var admin = new TenancyAdmin(server);
        var (_, keyA) = await admin.CreateKeyAsync(await admin.CreateProjectAsync("A"));
        var (_, keyB) = await admin.CreateKeyAsync(await admin.CreateProjectAsync("B"));
        server.Upstream.Enqueue(ScriptedTurn.Say("One."), ScriptedTurn.Say("Two."), ScriptedTurn.Say("B's."), ScriptedTurn.Say("Three."));

        await server.Chat(CompatClients.Gpt, keyA).CompleteChatAsync("1");
        await server.Chat(CompatClients.Gpt, keyA).CompleteChatAsync("2");
        var refused = await Assert.ThrowsAsync<ClientResultException>(() => server.Chat(CompatClients.Gpt, keyA).CompleteChatAsync("3"));
        ChatCompletion otherProject = await server.Chat(CompatClients.Gpt, keyB).CompleteChatAsync("B");
        var upstreamCalls = server.Upstream.Paths.Count;
        clock.Advance(TimeSpan.FromMinutes(1));
        ChatCompletion afterReset = await server.Chat(CompatClients.Gpt, keyA).CompleteChatAsync("3 again");

        Assert.Equal(429, refused.Status);
        var headers = refused.GetRawResponse()!.Headers;
        Assert.Equal("2", Header(headers, "x-ratelimit-limit-requests"));
        Assert.Equal("0", Header(headers, "x-ratelimit-remaining-requests"));
        Assert.Equal("50s", Header(headers, "x-ratelimit-reset-requests"));
        Assert.Equal("50", Header(headers, "retry-after"));
        Assert.False(headers.TryGetValue("x-ratelimit-limit-tokens", out _));
        var error = JsonDocument.Parse(refused.GetRawResponse()!.Content.ToString()).RootElement.GetProperty("error");
        Assert.Equal("rate_limit_exceeded", error.GetProperty("code").GetString());
        Assert.Contains("requests per min (RPM): Limit 2, Used 2", error.GetProperty("message").GetString(), StringComparison.Ordinal);

        // The refused call reached no model and counts no usage; another project is not limited by A's counter.
        Assert.Equal(3, upstreamCalls);
        Assert.Equal("B's.", otherProject.Content[0].Text);
        Assert.Equal("Three.", afterReset.Content[0].Text);
        using var httpA = TenancyAdmin.Client(server, keyA);
        var usage = JsonDocument.Parse(await httpA.GetStringAsync("agenthost/usage?start_time=0")).RootElement;
        Assert.Equal(3, usage.GetProperty("data").EnumerateArray().Sum(row => row.GetProperty("model_calls").GetInt64()));
    }

    [Fact]
    public async Task Messages_PastTheTokenLimit_Answer429InAnthropicsEnvelopeAndHeaders_AfterSettlingTheFirstCallsUsage()
    {
        var clock = Clock();
        await using var server = await StartAsync(clock, new() { ["AgentHost:RateLimits:Project:claude-sonnet-4-5:TokensPerMinute"] = "3000" });
        using var admin = new TenancyAdmin(server);
        var (_, key) = await admin.CreateKeyAsync(await admin.CreateProjectAsync("A"));
        server.Upstream.Enqueue(ScriptedTurn.Say("First."), ScriptedTurn.Say("Small enough."));

        // Reserves about 2,000 tokens, settled to the 17 the upstream reports: the window then has 2,983 left.
        await server.Anthropic(key).Messages.Create(Ask("Hi", 2000));
        var refused = await Assert.ThrowsAnyAsync<AnthropicApiException>(() => server.Anthropic(key).Messages.Create(Ask("Hi", 2990)));
        using var http = TenancyAdmin.Client(server, key);
        using var raw = await http.PostAsync("messages", JsonBody.Of($$"""{"model":"{{CompatClients.Claude}}","max_tokens":2990,"messages":[{"role":"user","content":"Hi"}]}"""));
        var fits = await server.Anthropic(key).Messages.Create(Ask("Hi", 1000));

        Assert.IsType<AnthropicRateLimitException>(refused);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var body = JsonDocument.Parse(refused.ResponseBody).RootElement;
        Assert.Equal("error", body.GetProperty("type").GetString());
        Assert.Equal("rate_limit_error", body.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.TooManyRequests, raw.StatusCode);
        Assert.Equal("3000", raw.Headers.GetValues("anthropic-ratelimit-tokens-limit").Single());
        Assert.Equal("2983", raw.Headers.GetValues("anthropic-ratelimit-tokens-remaining").Single());
        Assert.Equal(clock.GetUtcNow().AddSeconds(50).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            raw.Headers.GetValues("anthropic-ratelimit-tokens-reset").Single());
        Assert.Equal("50", raw.Headers.GetValues("retry-after").Single());
        Assert.False(raw.Headers.Contains("anthropic-ratelimit-requests-limit"));
        Assert.Equal("Small enough.", Assert.IsType<TextBlock>(fits.Content[0].Value).Text);
        Assert.Equal(2, server.Upstream.Paths.Count);
    }

    [Fact]
    public async Task AssistantsRun_PastTheProjectsLimit_FailsWithRateLimitExceeded_AsOpenAIsRunsDo()
    {
        var clock = Clock();
        await using var server = await StartAsync(clock, new() { ["AgentHost:RateLimits:Project:gpt-4o:RequestsPerMinute"] = "1" });
        using var admin = new TenancyAdmin(server);
        var (_, key) = await admin.CreateKeyAsync(await admin.CreateProjectAsync("A"));
        server.Upstream.Enqueue(ScriptedTurn.Say("Uses the one request."));
        await server.Chat(CompatClients.Gpt, key).CompleteChatAsync("Hi");
        var assistants = server.Assistants(key);
        Assistant assistant = await assistants.CreateAssistantAsync(CompatClients.Gpt);

        ThreadRun run = await assistants.CreateThreadAndRunAsync(assistant.Id, new ThreadCreationOptions { InitialMessages = { "Hello" } });
        run = await assistants.WaitAsync(run);

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal(RunErrorCode.RateLimitExceeded, run.LastError.Code);
        Assert.Contains("Rate limit reached for gpt-4o", run.LastError.Message, StringComparison.Ordinal);
        Assert.Single(server.Upstream.Paths);
    }

    [Fact]
    public async Task Responses_PastTheProjectsRequestLimit_Answer429WithOpenAIHeadersAndEnvelope()
    {
        var clock = Clock();
        await using var server = await StartAsync(clock, new()
        {
            ["AgentHost:RateLimits:Project:gpt-4o:RequestsPerMinute"] = "2",
            ["AgentHost:RateLimits:Project:gpt-4o:TokensPerMinute"] = "90000",
        });
        using var admin = new TenancyAdmin(server);
        var (_, key) = await admin.CreateKeyAsync(await admin.CreateProjectAsync("A"));
        server.Upstream.Enqueue(ScriptedTurn.Say("One."), ScriptedTurn.Say("Two."));

        await server.Chat(CompatClients.Gpt, key).CompleteChatAsync("1");
        OpenAI.Responses.ResponseResult second = await server.Responses(key).CreateResponseAsync(CompatClients.Gpt, "2");
        var refused = await Assert.ThrowsAsync<ClientResultException>(() => server.Responses(key).CreateResponseAsync(CompatClients.Gpt, "3"));

        Assert.Equal("Two.", second.GetOutputText());
        Assert.Equal(429, refused.Status);
        var headers = refused.GetRawResponse()!.Headers;
        Assert.Equal("2", Header(headers, "x-ratelimit-limit-requests"));
        Assert.Equal("0", Header(headers, "x-ratelimit-remaining-requests"));
        Assert.Equal("50s", Header(headers, "x-ratelimit-reset-requests"));
        Assert.Equal("90000", Header(headers, "x-ratelimit-limit-tokens"));
        Assert.Equal("50s", Header(headers, "x-ratelimit-reset-tokens"));
        Assert.Equal("50", Header(headers, "retry-after"));
        var error = JsonDocument.Parse(refused.GetRawResponse()!.Content.ToString()).RootElement.GetProperty("error");
        Assert.Equal(("rate_limit_exceeded", "requests"), (error.GetProperty("code").GetString(), error.GetProperty("type").GetString()));
        Assert.Contains("Rate limit reached for gpt-4o in project proj_", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, server.Upstream.Paths.Count);
    }

    [Fact]
    public async Task KeyLimits_CountEachKeyOnItsOwn_WithinItsProject()
    {
        var clock = Clock();
        await using var server = await StartAsync(clock, new() { ["AgentHost:RateLimits:Key:*:RequestsPerMinute"] = "1" });
        using var admin = new TenancyAdmin(server);
        var project = await admin.CreateProjectAsync("A");
        var (_, first) = await admin.CreateKeyAsync(project, "first");
        var (_, second) = await admin.CreateKeyAsync(project, "second");
        server.Upstream.Enqueue(ScriptedTurn.Say("First key."), ScriptedTurn.Say("Second key."));

        await server.Chat(CompatClients.Gpt, first).CompleteChatAsync("Hi");
        var refused = await Assert.ThrowsAsync<ClientResultException>(() => server.Chat(CompatClients.Gpt, first).CompleteChatAsync("Again"));
        ChatCompletion other = await server.Chat(CompatClients.Gpt, second).CompleteChatAsync("Hi");

        Assert.Equal(429, refused.Status);
        Assert.Contains("in key key_", refused.Message, StringComparison.Ordinal);
        Assert.Equal("Second key.", other.Content[0].Text);
    }

    [Fact]
    public async Task AssistantsRuns_CountAgainstTheLimitsOfTheKeyThatCreatedThem()
    {
        var clock = Clock();
        await using var server = await StartAsync(clock, new() { ["AgentHost:RateLimits:Key:*:RequestsPerMinute"] = "1" });
        using var admin = new TenancyAdmin(server);
        var project = await admin.CreateProjectAsync("A");
        var (_, keyA) = await admin.CreateKeyAsync(project, "a");
        var (_, keyB) = await admin.CreateKeyAsync(project, "b");
        server.Upstream.Enqueue(ScriptedTurn.Say("Uses A's one request."), ScriptedTurn.Say("B's run."));
        await server.Chat(CompatClients.Gpt, keyA).CompleteChatAsync("Hi");
        Assistant assistant = await server.Assistants(keyA).CreateAssistantAsync(CompatClients.Gpt);

        ThreadRun runOfA = await server.Assistants(keyA).WaitAsync(
            await server.Assistants(keyA).CreateThreadAndRunAsync(assistant.Id, new ThreadCreationOptions { InitialMessages = { "Hello" } }));
        ThreadRun runOfB = await server.Assistants(keyB).WaitAsync(
            await server.Assistants(keyB).CreateThreadAndRunAsync(assistant.Id, new ThreadCreationOptions { InitialMessages = { "Hello" } }));

        Assert.Equal(RunStatus.Failed, runOfA.Status);
        Assert.Equal(RunErrorCode.RateLimitExceeded, runOfA.LastError.Code);
        Assert.Contains("in key key_", runOfA.LastError.Message, StringComparison.Ordinal);
        Assert.Equal(RunStatus.Completed, runOfB.Status);
        Assert.Equal(2, server.Upstream.Paths.Count);
    }

    [Fact]
    public async Task AdminApi_ListsAndModifiesAProjectsLimits_WhichReplaceTheDefaultsForThatProjectOnly()
    {
        var clock = Clock();
        await using var server = await StartAsync(clock, new()
        {
            ["AgentHost:RateLimits:Project:gpt-4o:RequestsPerMinute"] = "100",
            ["AgentHost:RateLimits:Project:gpt-4o:TokensPerMinute"] = "90000",
        });
        using var admin = new TenancyAdmin(server);
        var projectA = await admin.CreateProjectAsync("A");
        var projectB = await admin.CreateProjectAsync("B");
        var (_, keyA) = await admin.CreateKeyAsync(projectA);
        var (_, keyB) = await admin.CreateKeyAsync(projectB);
        server.Upstream.Enqueue(ScriptedTurn.Say("A's one."), ScriptedTurn.Say("B's one."), ScriptedTurn.Say("B's two."));

        var before = await admin.JsonAsync(HttpMethod.Get, $"organization/projects/{projectA}/rate_limits");
        var modified = await admin.JsonAsync(HttpMethod.Post, $"organization/projects/{projectA}/rate_limits/rl-gpt-4o", new { max_requests_per_1_minute = 1 });
        var after = await admin.JsonAsync(HttpMethod.Get, $"organization/projects/{projectA}/rate_limits?limit=100");
        using var unsupported = await admin.SendAsync(HttpMethod.Post, $"organization/projects/{projectA}/rate_limits/rl-gpt-4o", new { max_images_per_1_minute = 5 });
        using var unknown = await admin.SendAsync(HttpMethod.Post, $"organization/projects/{projectA}/rate_limits/rl-no-such-model", new { max_requests_per_1_minute = 5 });
        using var negative = await admin.SendAsync(HttpMethod.Post, $"organization/projects/{projectA}/rate_limits/rl-gpt-4o", new { max_requests_per_1_minute = -1 });
        using var byProjectKey = await TenancyAdmin.Client(server, keyA).GetAsync($"organization/projects/{projectA}/rate_limits");
        await server.Chat(CompatClients.Gpt, keyA).CompleteChatAsync("1");
        var refused = await Assert.ThrowsAsync<ClientResultException>(() => server.Chat(CompatClients.Gpt, keyA).CompleteChatAsync("2"));
        await server.Chat(CompatClients.Gpt, keyB).CompleteChatAsync("1");
        await server.Chat(CompatClients.Gpt, keyB).CompleteChatAsync("2");

        var listed = before.GetProperty("data").EnumerateArray().Single(l => l.GetProperty("id").GetString() == "rl-gpt-4o");
        Assert.Equal("list", before.GetProperty("object").GetString());
        Assert.Equal("project.rate_limit", listed.GetProperty("object").GetString());
        Assert.Equal(("gpt-4o", 100, 90000), (listed.GetProperty("model").GetString(), listed.GetProperty("max_requests_per_1_minute").GetInt64(),
            listed.GetProperty("max_tokens_per_1_minute").GetInt64()));
        Assert.Equal((1, 90000), (modified.GetProperty("max_requests_per_1_minute").GetInt64(), modified.GetProperty("max_tokens_per_1_minute").GetInt64()));
        Assert.Equal(1, after.GetProperty("data").EnumerateArray().Single(l => l.GetProperty("id").GetString() == "rl-gpt-4o").GetProperty("max_requests_per_1_minute").GetInt64());
        Assert.Equal(before.GetProperty("data").GetArrayLength(), after.GetProperty("data").GetArrayLength());
        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.NotFound, HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized),
            (unsupported.StatusCode, unknown.StatusCode, negative.StatusCode, byProjectKey.StatusCode));
        Assert.Contains("max_images_per_1_minute", await unsupported.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(429, refused.Status);
        Assert.Equal("1", Header(refused.GetRawResponse()!.Headers, "x-ratelimit-limit-requests"));
        Assert.Equal("90000", Header(refused.GetRawResponse()!.Headers, "x-ratelimit-limit-tokens"));
    }

    [Fact]
    public async Task ProjectKey_AfterUse_ShowsLastUsedAt()
    {
        var clock = Clock();
        await using var server = await StartAsync(clock, []);
        using var admin = new TenancyAdmin(server);
        var project = await admin.CreateProjectAsync("A");
        var (keyId, key) = await admin.CreateKeyAsync(project);
        var unused = await admin.JsonAsync(HttpMethod.Get, $"organization/projects/{project}/api_keys/{keyId}");

        await server.Assistants(key).GetAssistantsAsync().ToListAsync();
        var used = await admin.JsonAsync(HttpMethod.Get, $"organization/projects/{project}/api_keys/{keyId}");

        Assert.Equal(JsonValueKind.Null, unused.GetProperty("last_used_at").ValueKind);
        Assert.Equal(clock.GetUtcNow().ToUnixTimeSeconds(), used.GetProperty("last_used_at").GetInt64());
    }

    [Theory]
    [InlineData("AgentHost:RateLimits:Project:gpt-4o:RequestsPerMinute", "-5", "set a positive number of model calls per minute, or 0 for no limit")]
    [InlineData("AgentHost:RateLimits:Key:*:TokensPerMinute", "-1", "set a positive number of tokens per minute, or 0 for no limit")]
    [InlineData("AgentHost:RateLimits:EstimatedOutputTokens", "0", "set a positive number of tokens")]
    [InlineData("AgentHost:RateLimits:ProjectLimitsCacheDuration", "01:00:00", "set it between 00:00:00 and 00:05:00")]
    public async Task InvalidRateLimitSettings_FailAtStart_SayingHowToFixThem(string setting, string value, string advice)
    {
        var failure = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(
            () => AgentHostServer.StartAsync(settings: new() { [setting] = value }));

        Assert.Contains(advice, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RateLimitEntry_WithNoLimit_FailsAtStart_SayingHowToFixIt()
    {
        var failure = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(
            () => AgentHostServer.StartAsync(settings: new() { ["AgentHost:RateLimits:Project:gpt-4o:Requests"] = "5" }));

        Assert.Contains("AgentHost:RateLimits:Project:gpt-4o sets no limit; give it RequestsPerMinute and/or TokensPerMinute", failure.Message, StringComparison.Ordinal);
    }

    /// <summary>A fake clock 10 s into a minute.</summary>
    internal static FakeTimeProvider Clock() => new(DateTimeOffset.FromUnixTimeSeconds(((DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 60) + 1) * 60 + 10));

    private static Task<AgentHostServer> StartAsync(FakeTimeProvider clock, Dictionary<string, string?> settings)
    {
        var all = TenancyAdmin.Settings();
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        return AgentHostServer.StartAsync(b => b.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)), all);
    }

    private static string Header(System.ClientModel.Primitives.PipelineResponseHeaders headers, string name) =>
        headers.TryGetValue(name, out var value) ? value! : throw new Xunit.Sdk.XunitException($"No {name} header.");

    private static MessageCreateParams Ask(string text, long maxTokens) => new()
    {
        Model = CompatClients.Claude,
        MaxTokens = maxTokens,
        Messages = [new UserMessageParam(text)],
    };
}
