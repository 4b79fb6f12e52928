using AgentHost.Core.Storage;
using AgentHost.Core.Tenancy;

namespace AgentHost.Storage.Contracts;

/// <summary>What every <see cref="IProjectStore"/> must do: projects, archive, keys found by hash only.</summary>
public abstract class ProjectStoreContract<TFactory> : StoreContract<TFactory>
    where TFactory : IStoreFactory, new()
{
    private IProjectStore Store => Stores.Projects;

    [StoreFact]
    public async Task DefaultProject_ExistsFromTheStart()
    {
        var project = await Store.GetProjectAsync(Projects.Default, None);

        Assert.NotNull(project);
        Assert.Equal("active", project.Status);
    }

    [StoreFact]
    public async Task Projects_ArePagedOldestFirst_AndArchivedOnesOnlyWhenAsked()
    {
        await Store.CreateProjectAsync(new Project { Id = "proj_1", Name = "One", CreatedAt = 10 }, None);
        await Store.CreateProjectAsync(new Project { Id = "proj_2", Name = "Two", CreatedAt = 20 }, None);
        Assert.True(await Store.UpdateProjectAsync(new Project { Id = "proj_1", Name = "Uno", CreatedAt = 10, ArchivedAt = 30 }, None));
        Assert.False(await Store.UpdateProjectAsync(new Project { Id = "proj_missing", Name = "x", CreatedAt = 1 }, None));

        var active = await Store.ListProjectsAsync(new ListQuery { Limit = 10 }, includeArchived: false, None);
        var all = await Store.ListProjectsAsync(new ListQuery { Limit = 2 }, includeArchived: true, None);
        var next = await Store.ListProjectsAsync(new ListQuery { Limit = 2, After = all.Data[^1].Id }, includeArchived: true, None);

        Assert.Equal([Projects.Default, "proj_2"], active.Data.Select(p => p.Id));
        Assert.Equal(($"{Projects.Default},proj_1", true), (string.Join(",", all.Data.Select(p => p.Id)), all.HasMore));
        Assert.Equal(("proj_2", false), (string.Join(",", next.Data.Select(p => p.Id)), next.HasMore));
        Assert.Equal(("Uno", 30L, "archived"), ((await Store.GetProjectAsync("proj_1", None))!.Name, (await Store.GetProjectAsync("proj_1", None))!.ArchivedAt, all.Data[1].Status));
    }

    [StoreFact]
    public async Task Keys_AreFoundByHash_WithTheirProjectsArchiveState_AndDeletedPerProject()
    {
        await Store.CreateProjectAsync(new Project { Id = "proj_a", Name = "A", CreatedAt = 1 }, None);
        var value = ProjectKeyValues.NewValue();
        var key = new ProjectKey
        {
            Id = "key_a", Project = "proj_a", Name = "bot", ServiceAccountId = "svc_acct_a", RedactedValue = ProjectKeyValues.Redact(value),
            CreatedAt = 2, Hash = ProjectKeyValues.HashOf(value),
        };
        await Store.CreateKeyAsync(key, None);

        var found = await Store.FindKeyAsync(ProjectKeyValues.HashOf(value), None);
        var wrong = await Store.FindKeyAsync(ProjectKeyValues.HashOf(value + "x"), None);
        var listed = await Store.ListKeysAsync("proj_a", new ListQuery(), None);
        var otherProjects = await Store.ListKeysAsync(Projects.Default, new ListQuery(), None);
        await Store.UpdateProjectAsync(new Project { Id = "proj_a", Name = "A", CreatedAt = 1, ArchivedAt = 3 }, None);
        var archived = await Store.FindKeyAsync(key.Hash, None);

        Assert.Equal(new ProjectKeyMatch(key, false), found);
        Assert.Null(wrong);
        Assert.Equal([key], listed.Data);
        Assert.Empty(otherProjects.Data);
        Assert.True(archived!.ProjectArchived);
        Assert.Null(await Store.GetKeyAsync(Projects.Default, "key_a", None));
        Assert.False(await Store.DeleteKeyAsync(Projects.Default, "key_a", None));
        Assert.True(await Store.DeleteKeyAsync("proj_a", "key_a", None));
        Assert.Null(await Store.FindKeyAsync(key.Hash, None));
        Assert.DoesNotContain(value, key.RedactedValue, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task RateLimits_AreKeptPerProjectAndModel_AndReplacedWhenSavedAgain()
    {
        await Store.SaveRateLimitAsync(new() { Project = "proj_a", Model = "gpt-4o", MaxRequestsPerMinute = 10, MaxTokensPerMinute = null }, None);
        await Store.SaveRateLimitAsync(new() { Project = "proj_a", Model = "claude-sonnet-4-5", MaxRequestsPerMinute = 0, MaxTokensPerMinute = 5000 }, None);
        await Store.SaveRateLimitAsync(new() { Project = "proj_b", Model = "gpt-4o", MaxRequestsPerMinute = 99, MaxTokensPerMinute = 99 }, None);
        await Store.SaveRateLimitAsync(new() { Project = "proj_a", Model = "gpt-4o", MaxRequestsPerMinute = 20, MaxTokensPerMinute = 7000 }, None);

        var limits = await Store.ListRateLimitsAsync("proj_a", None);

        Assert.Equal(
            [
                new() { Project = "proj_a", Model = "claude-sonnet-4-5", MaxRequestsPerMinute = 0, MaxTokensPerMinute = 5000 },
                new Core.RateLimits.ProjectRateLimit { Project = "proj_a", Model = "gpt-4o", MaxRequestsPerMinute = 20, MaxTokensPerMinute = 7000 },
            ],
            limits);
        Assert.Empty(await Store.ListRateLimitsAsync("proj_c", None));
    }

    [StoreFact]
    public async Task KeyUse_IsRecorded_AndNeverMovedBack()
    {
        await Store.CreateProjectAsync(new Project { Id = "proj_u", Name = "U", CreatedAt = 1 }, None);
        var value = ProjectKeyValues.NewValue();
        await Store.CreateKeyAsync(new ProjectKey
        {
            Id = "key_u", Project = "proj_u", Name = "bot", ServiceAccountId = "svc_acct_u", RedactedValue = ProjectKeyValues.Redact(value),
            CreatedAt = 2, Hash = ProjectKeyValues.HashOf(value),
        }, None);
        var unused = await Store.GetKeyAsync("proj_u", "key_u", None);

        await Store.MarkKeyUsedAsync("key_u", 500, None);
        await Store.MarkKeyUsedAsync("key_u", 400, None);

        Assert.Null(unused!.LastUsedAt);
        Assert.Equal(500, (await Store.GetKeyAsync("proj_u", "key_u", None))!.LastUsedAt);
        Assert.Equal(500, (await Store.FindKeyAsync(ProjectKeyValues.HashOf(value), None))!.Key.LastUsedAt);
    }
}
