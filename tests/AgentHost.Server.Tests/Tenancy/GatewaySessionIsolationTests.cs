using System.Net;
using System.Text.Json.Nodes;
using AgentHost.Server.Tests.Support;
using AgentHost.Testing;
using AgentHost.Testing.Requirements;

namespace AgentHost.Server.Tests.Tenancy;

/// <summary>
/// Gateway sessions (<c>/v1/agenthost/sessions</c>) through raw HTTP in two projects, on SQLite and on PostgreSQL: a
/// project key sees only its own sessions, another project's session answers 404 like a missing one, and the admin
/// key sees all; a session id two projects both use has each project's own totals and session budget.
/// </summary>
public sealed class GatewaySessionIsolationTests
{
    [Fact]
    public async Task ASessionOfAnotherProject_Answers404_AndIsNeverListed() =>
        await AssertSessionsStayInTheirProjectAsync(TenancyAdmin.Settings());

    [RequiresFact("postgres")]
    public Task ASessionOfAnotherProject_Answers404_AndIsNeverListed_OnPostgres() =>
        TestStore.OnNewPostgresSchemaAsync(TenancyAdmin.Settings(), AssertSessionsStayInTheirProjectAsync);

    [Fact]
    public async Task TwoProjectsUsingOneSessionId_HaveSeparateTotals_AndOnesSpentBudgetDoesNotStopTheOther() =>
        await AssertSessionTotalsAreTheProjectsOwnAsync(TenancyAdmin.Settings());

    [RequiresFact("postgres")]
    public Task TwoProjectsUsingOneSessionId_HaveSeparateTotals_AndOnesSpentBudgetDoesNotStopTheOther_OnPostgres() =>
        TestStore.OnNewPostgresSchemaAsync(TenancyAdmin.Settings(), AssertSessionTotalsAreTheProjectsOwnAsync);

    private static async Task AssertSessionTotalsAreTheProjectsOwnAsync(Dictionary<string, string?> settings)
    {
        await using var server = await AgentHostServer.StartAsync(settings: settings);
        using var clients = await ProjectClients.CreateAsync(server);
        var (httpA, httpB, adminHttp) = clients;
        // A's call spends $0.0035 (1,000 in, 100 out on gpt-4o), passing the session budget of $0.003; B's spends $0.00035.
        server.Upstream.Enqueue(ScriptedTurn.Say("A spends") with { PromptTokens = 1000, CompletionTokens = 100 },
            ScriptedTurn.Say("B spends") with { PromptTokens = 100, CompletionTokens = 10 });

        using var spentA = await ChatAsync(httpA, "main", budgetUsd: "0.003");
        using var stoppedA = await ChatAsync(httpA, "main", budgetUsd: "0.003");
        using var spentB = await ChatAsync(httpB, "main", budgetUsd: "0.003");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.BadRequest, HttpStatusCode.OK), (spentA.StatusCode, stoppedA.StatusCode, spentB.StatusCode));
        var stop = JsonNode.Parse(await stoppedA.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal("session_budget_exceeded", stop["code"]!.GetValue<string>());
        Assert.Contains("spent $0.0035", stop["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(2, server.Upstream.Requests.Count);

        Assert.Equal((1, 1000, 0.0035m), await TotalsAsync(httpA, "agenthost/sessions/main"));
        Assert.Equal((1, 100, 0.00035m), await TotalsAsync(httpB, "agenthost/sessions/main"));
        Assert.Equal((2, 1100, 0.00385m), await TotalsAsync(adminHttp, "agenthost/sessions/main"));
        Assert.Equal((1, 1000, 0.0035m), Totals(Assert.Single(await ListedAsync(httpA))!));
        Assert.Equal((1, 100, 0.00035m), Totals(Assert.Single(await ListedAsync(httpB))!));
        Assert.Equal((2, 1100, 0.00385m), Totals(Assert.Single(await ListedAsync(adminHttp))!));
    }

    private static async Task AssertSessionsStayInTheirProjectAsync(Dictionary<string, string?> settings)
    {
        await using var server = await AgentHostServer.StartAsync(settings: settings);
        using var clients = await ProjectClients.CreateAsync(server);
        var (httpA, httpB, adminHttp) = clients;
        server.Upstream.Enqueue(ScriptedTurn.Say("a"), ScriptedTurn.Say("b"), ScriptedTurn.Say("a2"), ScriptedTurn.Say("b2"));

        await ChatAsync(httpA, "session-of-a");
        await ChatAsync(httpB, "session-of-b");
        await ChatAsync(httpA, "named-alike");
        await ChatAsync(httpB, "named-alike");

        using var refused = await httpB.GetAsync("agenthost/sessions/session-of-a");
        using var traceRefused = await httpB.GetAsync("agenthost/sessions/session-of-a/trace");
        using var missing = await httpB.GetAsync("agenthost/sessions/no-such-session");
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (refused.StatusCode, traceRefused.StatusCode));
        var refusedError = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["error"]!;
        var missingError = JsonNode.Parse(await missing.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal(missingError["type"]!.GetValue<string>(), refusedError["type"]!.GetValue<string>());
        Assert.Contains("session-of-a", refusedError["message"]!.GetValue<string>(), StringComparison.Ordinal);

        Assert.Equal(["named-alike", "session-of-a"], await ListAsync(httpA));
        Assert.Equal(["named-alike", "session-of-b"], await ListAsync(httpB));
        Assert.Equal(["named-alike", "session-of-a", "session-of-b"], await ListAsync(adminHttp));

        // An id both projects use: each project sees only its own calls of it; the admin key sees both.
        Assert.Equal(1, await CallCountAsync(httpA, "named-alike"));
        Assert.Equal(1, await CallCountAsync(httpB, "named-alike"));
        Assert.Equal(2, await CallCountAsync(adminHttp, "named-alike"));
        Assert.Equal(HttpStatusCode.OK, (await adminHttp.GetAsync("agenthost/sessions/session-of-a")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await httpA.GetAsync("agenthost/sessions/session-of-a/trace")).StatusCode);
    }

    private static async Task ChatAsync(HttpClient http, string session)
    {
        using var response = await ChatAsync(http, session, budgetUsd: null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<HttpResponseMessage> ChatAsync(HttpClient http, string session, string? budgetUsd)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "chat/completions")
        {
            Content = JsonBody.Of("""{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}"""),
        };
        request.Headers.Add("x-agenthost-session", session);
        if (budgetUsd is not null)
        {
            request.Headers.Add("x-agenthost-session-budget-usd", budgetUsd);
        }

        return await http.SendAsync(request);
    }

    private static async Task<JsonArray> ListedAsync(HttpClient http) =>
        JsonNode.Parse(await http.GetStringAsync("agenthost/sessions?limit=100"))!["data"]!.AsArray();

    private static async Task<(int Calls, long InputTokens, decimal CostUsd)> TotalsAsync(HttpClient http, string path) =>
        Totals(JsonNode.Parse(await http.GetStringAsync(path))!);

    private static (int Calls, long InputTokens, decimal CostUsd) Totals(JsonNode session) =>
        (session["model_calls"]!.GetValue<int>(), session["input_tokens"]!.GetValue<long>(), session["cost_usd"]!.GetValue<decimal>());

    private static async Task<List<string>> ListAsync(HttpClient http)
    {
        var list = JsonNode.Parse(await http.GetStringAsync("agenthost/sessions?limit=100"))!;
        return [.. list["data"]!.AsArray().Select(s => s!["id"]!.GetValue<string>()).Order(StringComparer.Ordinal)];
    }

    private static async Task<int> CallCountAsync(HttpClient http, string session) =>
        JsonNode.Parse(await http.GetStringAsync($"agenthost/sessions/{session}"))!["calls"]!.AsArray().Count;

    /// <summary>Clients with the keys of two new projects, A and B, and with the admin key.</summary>
    private sealed record ProjectClients(HttpClient A, HttpClient B, HttpClient Admin) : IDisposable
    {
        public static async Task<ProjectClients> CreateAsync(AgentHostServer server)
        {
            using var admin = new TenancyAdmin(server);
            var (_, keyA) = await admin.CreateKeyAsync(await admin.CreateProjectAsync("A"));
            var (_, keyB) = await admin.CreateKeyAsync(await admin.CreateProjectAsync("B"));
            return new(TenancyAdmin.Client(server, keyA), TenancyAdmin.Client(server, keyB), TenancyAdmin.Client(server, TenancyAdmin.AdminKey));
        }

        public void Dispose()
        {
            A.Dispose();
            B.Dispose();
            Admin.Dispose();
        }
    }
}
