using AgentHost.Core.Domain;
using AgentHost.Core.ManagedAgents;
using AgentHost.Core.Storage;

namespace AgentHost.Storage.Contracts;

/// <summary>
/// What every <see cref="IManagedAgentStore"/> must do: agent versions appended only onto the latest, lists of the latest
/// versions in creation order with filters and cursors, status compare-and-set, and a session's event log in order.
/// </summary>
public abstract class ManagedAgentStoreContract<TFactory> : StoreContract<TFactory>
    where TFactory : IStoreFactory, new()
{
    private IManagedAgentStore Store => Stores.ManagedAgents;

    [StoreFact]
    public async Task Versions_AreAppendedOnlyOntoTheLatest_AndTheLatestIsWhatGetAndListShow()
    {
        Assert.True(await Store.InsertAsync(Agent("agent_a", 1, "v1"), None));
        Assert.False(await Store.InsertAsync(Agent("agent_a", 1, "again"), None));
        Assert.False(await Store.InsertAsync(Agent("agent_a", 3, "skips 2"), None));
        Assert.True(await Store.InsertAsync(Agent("agent_a", 2, "v2"), None));
        Assert.False(await Store.InsertAsync(Agent("agent_a", 2, "lost the race"), None));
        Assert.False(await Store.InsertAsync(Agent("agent_missing", 2, "no v1"), None));

        Assert.Equal("v2", (await Store.GetAsync(ManagedObjectKinds.Agent, "agent_a", null, None))?.Data);
        Assert.Equal("v1", (await Store.GetAsync(ManagedObjectKinds.Agent, "agent_a", 1, None))?.Data);
        Assert.Null(await Store.GetAsync(ManagedObjectKinds.Agent, "agent_a", 3, None));
        Assert.Null(await Store.GetAsync(ManagedObjectKinds.Environment, "agent_a", null, None));
        var versions = await Store.ListVersionsAsync(ManagedObjectKinds.Agent, "agent_a", new ListQuery { Limit = 1 }, None);
        Assert.Equal(["v2"], versions.Data.Select(v => v.Data));
        Assert.True(versions.HasMore);
        var older = await Store.ListVersionsAsync(ManagedObjectKinds.Agent, "agent_a", new ListQuery { Limit = 5, After = "2" }, None);
        Assert.Equal(["v1"], older.Data.Select(v => v.Data));
        Assert.False(older.HasMore);
        var listed = await Store.ListAsync(ManagedObjectKinds.Agent, new ManagedListQuery(), None);
        Assert.Equal(["v2"], listed.Data.Select(a => a.Data));
    }

    [StoreFact]
    public async Task List_KeepsCreationOrder_AcrossNewVersions_AndFiltersAndPages()
    {
        foreach (var id in new[] { "agent_1", "agent_2", "agent_3" })
        {
            Assert.True(await Store.InsertAsync(Agent(id, 1, id), None));
        }

        Assert.True(await Store.InsertAsync(Agent("agent_1", 2, "agent_1 v2"), None));
        var first = await Store.GetAsync(ManagedObjectKinds.Agent, "agent_2", null, None);
        Assert.True(await Store.UpdateAsync(first! with { Archived = true }, null, None));

        var newest = await Store.ListAsync(ManagedObjectKinds.Agent, new ManagedListQuery { Limit = 1 }, None);
        var rest = await Store.ListAsync(ManagedObjectKinds.Agent, new ManagedListQuery { Limit = 5, After = "agent_3" }, None);
        var all = await Store.ListAsync(ManagedObjectKinds.Agent, new ManagedListQuery { IncludeArchived = true, Ascending = true }, None);

        Assert.Equal(["agent_3"], newest.Data.Select(a => a.Id));
        Assert.True(newest.HasMore);
        Assert.Equal(["agent_1"], rest.Data.Select(a => a.Id));
        Assert.False(rest.HasMore);
        Assert.Equal(["agent_1 v2", "agent_2", "agent_3"], all.Data.Select(a => a.Data));
    }

    [StoreFact]
    public async Task SessionStatus_IsComparedAndSet_AndSessionsListByAgentAndStatus()
    {
        Assert.True(await Store.InsertAsync(Session("sesn_a", "agent_x", "idle"), None));
        Assert.True(await Store.InsertAsync(Session("sesn_b", "agent_y", "idle"), None));
        var a = (await Store.GetAsync(ManagedObjectKinds.Session, "sesn_a", null, None))!;

        Assert.True(await Store.UpdateAsync(a with { Status = "running", Data = "running" }, "idle", None));
        Assert.False(await Store.UpdateAsync(a with { Status = "running", Data = "second turn" }, "idle", None));

        Assert.Equal("running", (await Store.GetAsync(ManagedObjectKinds.Session, "sesn_a", null, None))?.Data);
        Assert.Equal(["sesn_a"], (await Store.ListAsync(ManagedObjectKinds.Session, new ManagedListQuery { ParentId = "agent_x" }, None)).Data.Select(s => s.Id));
        Assert.Equal(["sesn_b"], (await Store.ListAsync(ManagedObjectKinds.Session, new ManagedListQuery { Statuses = ["idle", "terminated"] }, None)).Data.Select(s => s.Id));
    }

    [StoreFact]
    public async Task Events_KeepTheirOrder_PageAndFilter_AndGoWithTheirSession()
    {
        Assert.True(await Store.InsertAsync(Session("sesn_e", "agent_x", "idle"), None));
        var stored = await Store.AppendEventsAsync("sesn_e", [Event("sevt_1", "user.message", 1), Event("sevt_2", "session.status_running", 2)], None);
        await Store.AppendEventsAsync("sesn_e", [Event("sevt_3", "agent.message", 3, "call_1"), Event("sevt_4", "session.status_idle", 4)], None);
        await Store.AppendEventsAsync("sesn_other", [Event("sevt_1", "user.message", 1)], None);

        Assert.True(stored[0].Sequence < stored[1].Sequence);
        var first = await Store.ListEventsAsync("sesn_e", new SessionEventQuery { Limit = 2 }, None);
        var next = await Store.ListEventsAsync("sesn_e", new SessionEventQuery { Limit = 2, After = "sevt_2" }, None);
        var newest = await Store.ListEventsAsync("sesn_e", new SessionEventQuery { Ascending = false, Limit = 1 }, None);
        var typed = await Store.ListEventsAsync("sesn_e", new SessionEventQuery { Types = ["agent.message", "user.message"] }, None);
        var timed = await Store.ListEventsAsync("sesn_e", new SessionEventQuery { ProcessedAfterMs = 1, ProcessedBeforeMs = 4 }, None);
        var after = await Store.EventsAfterAsync("sesn_e", stored[1].Sequence, None);

        Assert.Equal(["sevt_1", "sevt_2"], first.Data.Select(e => e.Id));
        Assert.True(first.HasMore);
        Assert.Equal(["sevt_3", "sevt_4"], next.Data.Select(e => e.Id));
        Assert.False(next.HasMore);
        Assert.Equal(["sevt_4"], newest.Data.Select(e => e.Id));
        Assert.Equal(["sevt_1", "sevt_3"], typed.Data.Select(e => e.Id));
        Assert.Equal(["sevt_2", "sevt_3"], timed.Data.Select(e => e.Id));
        Assert.Equal(["sevt_3", "sevt_4"], after.Select(e => e.Id));
        Assert.Equal(("run_1", "call_1", """{"type":"agent.message"}"""), (after[0].RunId, after[0].CallId, after[0].Data));
        Assert.Equal("agent.message", (await Store.GetEventAsync("sesn_e", "sevt_3", None))?.Type);

        Assert.True(await Store.DeleteAsync(ManagedObjectKinds.Session, "sesn_e", None));
        Assert.False(await Store.DeleteAsync(ManagedObjectKinds.Session, "sesn_e", None));
        Assert.Empty(await Store.EventsAfterAsync("sesn_e", 0, None));
        Assert.Single(await Store.EventsAfterAsync("sesn_other", 0, None));
    }

    [StoreFact]
    public async Task DeletingASession_DeletesItsTurnsRuns()
    {
        Assert.True(await Store.InsertAsync(Session("sesn_r", "agent_x", "idle"), None));
        var run = new ThreadRun { Id = "run_turn", CreatedAt = 1, AssistantId = string.Empty, ThreadId = "run_turn", Model = "m" };
        Assert.Null(await Stores.Agents.TryCreateRunAsync(run, null, [], None));
        await Store.AppendEventsAsync("sesn_r", [Event("sevt_1", "user.message", 1) with { RunId = "run_turn" }], None);

        Assert.True(await Store.DeleteAsync(ManagedObjectKinds.Session, "sesn_r", None));

        Assert.Null(await Stores.Agents.GetRunAsync("run_turn", "run_turn", None));
    }

    private static ManagedObject Agent(string id, int version, string data) =>
        new() { Kind = ManagedObjectKinds.Agent, Id = id, Version = version, CreatedAtMs = 1000, Data = data };

    private static ManagedObject Session(string id, string agentId, string status) =>
        new() { Kind = ManagedObjectKinds.Session, Id = id, CreatedAtMs = 1000, ParentId = agentId, Status = status, Data = status };

    private static SessionEventRecord Event(string id, string type, long at, string? callId = null) =>
        new(id, type, "run_1", callId, at, $$"""{"type":"{{type}}"}""");
}
