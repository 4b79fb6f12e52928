using System.Net;
using System.Text.Json.Nodes;
using AgentHost.Server.Tests.Support;
using AgentHost.Testing;
using AgentHost.Testing.Requirements;

namespace AgentHost.Server.Tests.Tenancy;

/// <summary>
/// Gateway sessions (<c>/v1/agenthost/sessions</c>) through raw HTTP in two projects, on SQLite and on PostgreSQL: a
/// project key sees only its own sessions, another project's session answers 404 like a missing one, and the admin
/// key sees all.
/// </summary>
public sealed class GatewaySessionIsolationTests
{
    [Fact]
    public async Task ASessionOfAnotherProject_Answers404_AndIsNeverListed() =>
        await AssertSessionsStayInTheirProjectAsync(TenancyAdmin.Settings());

    [RequiresFact("postgres")]
    public async Task ASessionOfAnotherProject_Answers404_AndIsNeverListed_OnPostgres()
    {
        var (connectionString, drop) = await TestStore.CreatePostgresSchemaAsync();
        try
        {
            var settings = TenancyAdmin.Settings();
            settings["ConnectionStrings:Postgres"] = connectionString;
            await AssertSessionsStayInTheirProjectAsync(settings);
        }
        finally
        {
            await drop();
        }
    }

    private static async Task AssertSessionsStayInTheirProjectAsync(Dictionary<string, string?> settings)
    {
        await using var server = await AgentHostServer.StartAsync(settings: settings);
        using var admin = new TenancyAdmin(server);
        var (_, keyA) = await admin.CreateKeyAsync(await admin.CreateProjectAsync("A"));
        var (_, keyB) = await admin.CreateKeyAsync(await admin.CreateProjectAsync("B"));
        using var httpA = TenancyAdmin.Client(server, keyA);
        using var httpB = TenancyAdmin.Client(server, keyB);
        using var adminHttp = TenancyAdmin.Client(server, TenancyAdmin.AdminKey);
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
        using var request = new HttpRequestMessage(HttpMethod.Post, "chat/completions")
        {
            Content = JsonBody.Of("""{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}"""),
        };
        request.Headers.Add("x-agenthost-session", session);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<List<string>> ListAsync(HttpClient http)
    {
        var list = JsonNode.Parse(await http.GetStringAsync("agenthost/sessions?limit=100"))!;
        return [.. list["data"]!.AsArray().Select(s => s!["id"]!.GetValue<string>()).Order(StringComparer.Ordinal)];
    }

    private static async Task<int> CallCountAsync(HttpClient http, string session) =>
        JsonNode.Parse(await http.GetStringAsync($"agenthost/sessions/{session}"))!["calls"]!.AsArray().Count;
}
