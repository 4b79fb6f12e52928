using System.ClientModel;
using System.Text.Json;
using AgentHost.Server.Tests.Support;
using OpenAI.Chat;

namespace AgentHost.Server.Tests.Tenancy;

/// <summary>A budget per project (all spending in it this month, whichever key) stops its next call once spent; other projects go on.</summary>
public sealed class ProjectBudgetTests
{
    private const string DefaultProjectKey = "default-project-key-for-budget-test";

    [Fact]
    public async Task ProjectBudget_OnceSpent_StopsThatProjectsNextCall_With400_AndNoOtherProjects()
    {
        var settings = TenancyAdmin.Settings(DefaultProjectKey);
        settings["AgentHost:Observability:Budgets:Project:MaxTokens"] = "10";
        settings["AgentHost:Observability:Budgets:Projects:default:MaxTokens"] = "1000";
        await using var server = await AgentHostServer.StartAsync(settings: settings);
        using var admin = new TenancyAdmin(server);
        var projectA = await admin.CreateProjectAsync("A");
        var (_, keyA) = await admin.CreateKeyAsync(projectA);
        var (_, keyB) = await admin.CreateKeyAsync(await admin.CreateProjectAsync("B"));
        server.Upstream.Enqueue(ScriptedTurn.Say("A spends 17 tokens."), ScriptedTurn.Say("B has spent nothing yet."),
            ScriptedTurn.Say("Default, once."), ScriptedTurn.Say("Default, twice: its own budget is 1000."));

        await server.Chat(CompatClients.Gpt, keyA).CompleteChatAsync("Hi");
        var stopped = await Assert.ThrowsAsync<ClientResultException>(() => server.Chat(CompatClients.Gpt, keyA).CompleteChatAsync("Again"));
        ChatCompletion other = await server.Chat(CompatClients.Gpt, keyB).CompleteChatAsync("Hi");
        await server.Chat(CompatClients.Gpt, DefaultProjectKey).CompleteChatAsync("Hi");
        ChatCompletion defaultAgain = await server.Chat(CompatClients.Gpt, DefaultProjectKey).CompleteChatAsync("Again");

        Assert.Equal(400, stopped.Status);
        var error = JsonDocument.Parse(stopped.GetRawResponse()!.Content.ToString()).RootElement.GetProperty("error");
        Assert.Equal("project_budget_exceeded", error.GetProperty("code").GetString());
        Assert.Contains($"project {projectA}", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("B has spent nothing yet.", other.Content[0].Text);
        Assert.Equal("Default, twice: its own budget is 1000.", defaultAgain.Content[0].Text);
    }
}
