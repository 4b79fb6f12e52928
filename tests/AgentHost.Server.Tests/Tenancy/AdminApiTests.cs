using System.ClientModel;
using System.Net;
using AgentHost.Server.Tests.Support;

namespace AgentHost.Server.Tests.Tenancy;

public sealed class AdminApiTests
{
    [Fact]
    public async Task ServiceAccountKey_WorksOnceShown_IsListedRedacted_AndIsRefusedOnceDeleted()
    {
        await using var server = await AgentHostServer.StartAsync(settings: TenancyAdmin.Settings());
        using var admin = new TenancyAdmin(server);
        var project = await admin.CreateProjectAsync("Billing");

        var (keyId, value) = await admin.CreateKeyAsync(project, "billing-bot");
        var assistant = await server.Assistants(value).CreateAssistantAsync("gpt-4o");
        var listed = await admin.JsonAsync(HttpMethod.Get, $"organization/projects/{project}/api_keys");
        var retrieved = await admin.JsonAsync(HttpMethod.Get, $"organization/projects/{project}/api_keys/{keyId}");
        var deleted = await admin.JsonAsync(HttpMethod.Delete, $"organization/projects/{project}/api_keys/{keyId}");
        var refused = await Assert.ThrowsAsync<ClientResultException>(() => server.Assistants(value).GetAssistantsAsync().ToListAsync().AsTask());

        Assert.StartsWith("sk-proj-", value, StringComparison.Ordinal);
        Assert.StartsWith("asst_", assistant.Value.Id, StringComparison.Ordinal);
        var key = Assert.Single(listed.GetProperty("data").EnumerateArray());
        Assert.Equal(keyId, key.GetProperty("id").GetString());
        Assert.Equal("organization.project.api_key", key.GetProperty("object").GetString());
        var redacted = key.GetProperty("redacted_value").GetString()!;
        Assert.DoesNotContain(value, listed.ToString(), StringComparison.Ordinal);
        Assert.Contains("****", redacted, StringComparison.Ordinal);
        Assert.EndsWith(value[^4..], redacted, StringComparison.Ordinal);
        Assert.Equal("service_account", key.GetProperty("owner").GetProperty("type").GetString());
        Assert.Equal(redacted, retrieved.GetProperty("redacted_value").GetString());
        Assert.True(deleted.GetProperty("deleted").GetBoolean());
        Assert.Equal(401, refused.Status);
    }

    [Fact]
    public async Task ArchivedProject_KeysAreRefused_AndItLeavesTheDefaultList()
    {
        await using var server = await AgentHostServer.StartAsync(settings: TenancyAdmin.Settings());
        using var admin = new TenancyAdmin(server);
        var project = await admin.CreateProjectAsync("Old");
        var (_, value) = await admin.CreateKeyAsync(project);
        await server.Assistants(value).CreateAssistantAsync("gpt-4o");

        var archived = await admin.JsonAsync(HttpMethod.Post, $"organization/projects/{project}/archive");
        var refused = await Assert.ThrowsAsync<ClientResultException>(() => server.Assistants(value).CreateAssistantAsync("gpt-4o"));
        var active = await admin.JsonAsync(HttpMethod.Get, "organization/projects");
        var all = await admin.JsonAsync(HttpMethod.Get, "organization/projects?include_archived=true");
        using var newKey = await admin.SendAsync(HttpMethod.Post, $"organization/projects/{project}/service_accounts", new { name = "late" });

        Assert.Equal("archived", archived.GetProperty("status").GetString());
        Assert.True(archived.GetProperty("archived_at").GetInt64() > 0);
        Assert.Equal(401, refused.Status);
        Assert.DoesNotContain(active.GetProperty("data").EnumerateArray(), p => p.GetProperty("id").GetString() == project);
        Assert.Contains(active.GetProperty("data").EnumerateArray(), p => p.GetProperty("id").GetString() == "default");
        Assert.Contains(all.GetProperty("data").EnumerateArray(), p => p.GetProperty("id").GetString() == project);
        Assert.Equal(HttpStatusCode.BadRequest, newKey.StatusCode);
    }

    [Fact]
    public async Task Projects_AreCreatedRetrievedAndRenamed_AndUnknownIdsAre404()
    {
        await using var server = await AgentHostServer.StartAsync(settings: TenancyAdmin.Settings());
        using var admin = new TenancyAdmin(server);

        var project = await admin.CreateProjectAsync("First name");
        var renamed = await admin.JsonAsync(HttpMethod.Post, $"organization/projects/{project}", new { name = "Second name" });
        var retrieved = await admin.JsonAsync(HttpMethod.Get, $"organization/projects/{project}");
        using var missing = await admin.SendAsync(HttpMethod.Get, "organization/projects/proj_missing");
        using var missingKey = await admin.SendAsync(HttpMethod.Get, $"organization/projects/{project}/api_keys/key_missing");
        using var nameless = await admin.SendAsync(HttpMethod.Post, "organization/projects", new { });

        Assert.StartsWith("proj_", project, StringComparison.Ordinal);
        Assert.Equal("organization.project", retrieved.GetProperty("object").GetString());
        Assert.Equal("Second name", renamed.GetProperty("name").GetString());
        Assert.Equal("Second name", retrieved.GetProperty("name").GetString());
        Assert.Equal("active", retrieved.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missingKey.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, nameless.StatusCode);
        Assert.Equal("name", System.Text.Json.JsonDocument.Parse(await nameless.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("param").GetString());
    }

    [Fact]
    public async Task AdminApi_RefusesProjectKeys_AndTheAdminKeyOnlyReadsProjects()
    {
        await using var server = await AgentHostServer.StartAsync(settings: TenancyAdmin.Settings());
        using var admin = new TenancyAdmin(server);
        var project = await admin.CreateProjectAsync("A");
        var (_, value) = await admin.CreateKeyAsync(project);
        var assistant = await server.Assistants(value).CreateAssistantAsync("gpt-4o");
        using var projectHttp = TenancyAdmin.Client(server, value);

        using var byProjectKey = await projectHttp.GetAsync("organization/projects");
        var adminWrites = await Assert.ThrowsAsync<ClientResultException>(() => server.Assistants(TenancyAdmin.AdminKey).CreateAssistantAsync("gpt-4o"));
        var adminReads = await server.Assistants(TenancyAdmin.AdminKey).GetAssistantAsync(assistant.Value.Id);

        Assert.Equal(HttpStatusCode.Unauthorized, byProjectKey.StatusCode);
        Assert.Contains("admin key", await byProjectKey.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(401, adminWrites.Status);
        Assert.Equal(assistant.Value.Id, adminReads.Value.Id);
    }

    [Fact]
    public async Task AdminKey_TooShort_FailsAtStartSayingHowToFixIt()
    {
        var failure = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(
            () => AgentHostServer.StartAsync(settings: new() { ["AgentHost:Auth:AdminKey"] = "short" }));

        Assert.Contains("AgentHost:Auth:AdminKey", failure.Message, StringComparison.Ordinal);
        Assert.Contains("openssl rand -hex 32", failure.Message, StringComparison.Ordinal);
    }
}
