using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using AgentHost.Core.Models;
using AgentHost.Core.Observability;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Bench;

/// <summary>
/// The observability middleware alone, in process: one streamed call of a 40 KB Claude Agent SDK-sized request
/// (system prompt, 25 tools, tool use) to an instant in-memory provider, bare and through the server's own
/// <see cref="IModelCallLayer"/> (budget check, ledger write on the server's SQLite file, metrics, trace queued),
/// alternating. The difference per pair is what the layer adds to a gateway call.
/// </summary>
internal sealed class MiddlewareScenario(BenchHost host, BenchOptions options)
{
    public async Task<(Distribution Bare, Distribution Observed, Distribution Added)> RunAsync()
    {
        var provider = new InstantChatClient();
        var observed = host.Services.GetRequiredService<IModelCallLayer>().Wrap(provider, "claude-sonnet-4-5");
        var (messages, tools) = Request();
        var bare = new double[options.Iterations];
        var through = new double[options.Iterations];
        for (var i = -Math.Max(200, options.Iterations / 10); i < options.Iterations; i++)
        {
            var plain = await TimeAsync(provider, messages, new ChatOptions { Tools = tools, MaxOutputTokens = 4096 });
            var scoped = new ModelCallScope { EntryPoint = ModelCallEntryPoints.Messages, SessionId = "bench-session" }
                .AttachTo(new ChatOptions { Tools = tools, MaxOutputTokens = 4096 });
            var wrapped = await TimeAsync(observed, messages, scoped);
            if (i >= 0)
            {
                bare[i] = plain;
                through[i] = wrapped;
            }
        }

        return (new Distribution(bare), new Distribution(through), new Distribution(through.Zip(bare, (t, b) => t - b)));
    }

    private static async Task<double> TimeAsync(IChatClient client, List<ChatMessage> messages, ChatOptions chatOptions)
    {
        var start = Stopwatch.GetTimestamp();
        await foreach (var _ in client.GetStreamingResponseAsync(messages, chatOptions))
        {
        }

        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    private static (List<ChatMessage> Messages, List<AITool> Tools) Request()
    {
        var schema = JsonDocument.Parse(AgentSdkBody.Schema).RootElement;
        var tools = Enumerable.Range(0, AgentSdkBody.ToolCount)
            .Select(i => (AITool)AIFunctionFactory.CreateDeclaration($"tool_{i}", AgentSdkBody.Filler("Tool " + i, 600), schema))
            .ToList();
        List<ChatMessage> messages =
        [
            new(ChatRole.System, AgentSdkBody.Filler("Guideline", 14_000)),
            new(ChatRole.User, AgentSdkBody.Filler("Task", 1500)),
            new(ChatRole.Assistant, [new TextContent("Reading the file."), new FunctionCallContent("toolu_1", "tool_0", new Dictionary<string, object?> { ["path"] = "src/app.ts" })]),
            new(ChatRole.User, [new FunctionResultContent("toolu_1", AgentSdkBody.Filler("line", 4000))]),
        ];
        return (messages, tools);
    }

    /// <summary>Answers at once: three text updates and usage, as a provider adapter yields them.</summary>
    private sealed class InstantChatClient : IChatClient
    {
        private static readonly ChatResponseUpdate[] Updates =
        [
            new(ChatRole.Assistant, "Hello") { ModelId = "claude-sonnet-4-5-20250929" },
            new(ChatRole.Assistant, " from the") { ModelId = "claude-sonnet-4-5-20250929" },
            new(ChatRole.Assistant, " bench.") { ModelId = "claude-sonnet-4-5-20250929", FinishReason = ChatFinishReason.Stop },
            new() { Contents = [new UsageContent(new UsageDetails { InputTokenCount = 9000, OutputTokenCount = 5 })] },
        ];

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(Updates.ToChatResponse());

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
            [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.CompletedTask;
            foreach (var update in Updates)
            {
                yield return update;
            }
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
