using AgentHost.Core.Domain;
using AgentHost.Core.Engine;
using AgentHost.Core.Storage;
using AgentHost.Core.Tokens;
using AgentHost.Core.Tools;
using AgentHost.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace AgentHost.Core.Tests.Support;

/// <summary>
/// The run engine wired as the server wires it, over a SQLite store in a temporary folder, a scripted model and a
/// recording event sink; time is a <see cref="FakeTimeProvider"/>.
/// </summary>
public sealed class EngineHarness : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("agenthost-engine-").FullName;
    private readonly SqliteDatabase database;

    public EngineHarness(RunEngineOptions? options = null, IEnumerable<IToolSource>? builtIns = null, IEnumerable<IRunHistory>? histories = null)
    {
        var runHistories = new RunHistories(histories ?? []);
        Sources = new ToolSources(builtIns ?? []);
        database = new SqliteDatabase(Path.Combine(folder, "agenthost.db"));
        Store = new SqliteAgentStore(database);
        Options = options ?? new RunEngineOptions();
        Transitions = new RunTransitions(Store, Events, Time, histories: runHistories);
        Executor = new RunExecutor(Store, new ScriptedModelRouter(Model), Events, Transitions, new TiktokenCounter(), Sources, Options, Time, histories: runHistories, gates: Gates);
        Service = new RunService(Store, Queue, Transitions, Cancellations, Options, Sources, Time);
    }

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.Parse("2026-11-30T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    public ScriptedChatClient Model { get; } = new();

    public RecordingEventSink Events { get; } = new();

    public IAgentStore Store { get; }

    public RunEngineOptions Options { get; }

    public RunQueue Queue { get; } = new();

    public RunCancellations Cancellations { get; } = new();

    public RunTransitions Transitions { get; }

    public ToolSources Sources { get; }

    public ToolCallGates Gates { get; } = new();

    public RunExecutor Executor { get; }

    public RunService Service { get; }

    public RunWorker NewWorker() => new(Store, Queue, Executor, Transitions, Cancellations, Options, Time, NullLogger<RunWorker>.Instance);

    /// <summary>Creates an assistant and a thread holding one user message.</summary>
    public async Task<(Assistant Assistant, AssistantThread Thread)> CreateAssistantAndThreadAsync(IReadOnlyList<ToolDefinition>? tools = null, string userText = "Hello")
    {
        var assistant = new Assistant { Id = IdGenerator.Assistant(), CreatedAt = Time.UnixNow(), Model = "gpt-4o", Instructions = "Be brief.", Tools = tools ?? [] };
        await Store.CreateAssistantAsync(assistant, CancellationToken.None);
        var thread = Service.NewThreadOf(new NewThread([], null, null));
        await Store.CreateThreadAsync(thread, [Service.ToMessage(thread.Id, UserMessage(userText))], CancellationToken.None);
        return (assistant, thread);
    }

    public static NewMessage UserMessage(string text) => new(MessageRoles.User, [MessageContent.FromText(text)], [], null);

    /// <summary>Creates a queued run and moves it to in_progress, as the worker does before handing it to the executor.</summary>
    public async Task<ThreadRun> StartRunAsync(Assistant assistant, AssistantThread thread, RunRequest? request = null)
    {
        var queued = await Service.CreateRunAsync(thread.Id, request ?? new RunRequest { AssistantId = assistant.Id }, IdGenerator.Run(), CancellationToken.None);
        var started = queued with { Status = RunStatus.InProgress, StartedAt = Time.UnixNow() };
        Assert.True(await Transitions.TryMoveAsync(queued, started, CancellationToken.None));
        return started;
    }

    public async Task<ThreadRun> GetRunAsync(ThreadRun run) => (await Store.GetRunAsync(run.ThreadId, run.Id, CancellationToken.None))!;

    public async Task<IReadOnlyList<RunStep>> StepsAsync(ThreadRun run) => await Transitions.AllStepsAsync(run, CancellationToken.None);

    public async Task<IReadOnlyList<ThreadMessage>> MessagesAsync(AssistantThread thread) => await Store.GetThreadMessagesAsync(thread.Id, CancellationToken.None);

    public void Dispose()
    {
        database.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }
}
