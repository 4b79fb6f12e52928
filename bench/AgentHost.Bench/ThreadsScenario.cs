using System.Diagnostics;
using AgentHost.Core.Domain;
using AgentHost.Core.FileSearch;
using AgentHost.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Bench;

/// <summary>
/// The time of one run as its thread grows: threads of 1, 1,000 and 10,000 messages (alternating user and assistant,
/// about 45 tokens each, written straight to the store), then one client runs streamed runs on each
/// (<c>POST /v1/threads/{id}/runs</c>, SSE read to <c>done</c>) under <c>last_messages</c> = 20 and under <c>auto</c>
/// truncation. The bench model's context window is set to 8,192 tokens (an 8k local model), so under <c>auto</c> the
/// window truncates the long threads to about 90 messages. After each run its reply is deleted, untimed, so every run
/// sees the same thread. With <c>--thread-tool file_search</c> each run makes one <c>file_search</c> call instead (the
/// assistant has the tool, the first message of each thread attaches a small file for it, and the upstream calls the
/// tool once, then answers), under <c>last_messages</c> = 20 only: the time the run's file search takes to find the
/// thread's attachments is in the run's time.
/// </summary>
internal sealed class ThreadsScenario(BenchHost host, string assistantId, BenchOptions options)
{
    /// <summary>The context window the scenario gives its model (<c>gpt-4o</c> on the bench host).</summary>
    public const int ContextWindow = 8_192;

    private static readonly int[] Lengths = [1, 1_000, 10_000];

    public sealed record Case(int Messages, string Truncation, Distribution Time);

    public async Task<IReadOnlyList<Case>> RunAsync()
    {
        var store = host.Services.GetRequiredService<IAgentStore>();
        var searching = options.ThreadTool is ToolTypes.FileSearch;
        var attached = searching ? await UploadAsync() : null;
        var assistant = searching ? await FileSearchAssistantAsync() : assistantId;
        var threads = new Dictionary<int, string>();
        foreach (var length in Lengths)
        {
            threads[length] = await CreateThreadAsync(store, length, attached);
        }

        var cases = new List<Case>();
        string[] truncations = searching
            ? ["""{"type":"last_messages","last_messages":20}"""]
            : ["""{"type":"last_messages","last_messages":20}""", """{"type":"auto"}"""];
        foreach (var truncation in truncations)
        {
            foreach (var length in Lengths)
            {
                var threadId = threads[length];
                for (var i = 0; i < 5; i++)
                {
                    await RunOnceAsync(store, assistant, threadId, truncation);
                }

                if (searching)
                {
                    await AssertFoundAsync(store, threadId, attached!);
                }

                var times = new double[options.Runs];
                for (var i = 0; i < times.Length; i++)
                {
                    times[i] = await RunOnceAsync(store, assistant, threadId, truncation);
                }

                var label = truncation.Contains("auto", StringComparison.Ordinal) ? "auto" : "last_messages=20";
                cases.Add(new Case(length, searching ? label + " + file_search" : label, new Distribution(times)));
            }
        }

        return cases;
    }

    /// <summary>A small text file for the threads' first messages to attach for file_search.</summary>
    private async Task<string> UploadAsync()
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent("assistants"), "purpose" },
            { new ByteArrayContent("The quick brown fox jumps over the lazy dog, and the bench searches for it."u8.ToArray()), "file", "fox.txt" },
        };
        using var response = await host.Client.PostAsync(host.BaseUrl + "/v1/files", form);
        return (await BenchHost.ReadJsonAsync(response)).GetProperty("id").GetString()!;
    }

    private async Task<string> FileSearchAssistantAsync() =>
        (await host.PostJsonAsync("/v1/assistants", """{"model":"gpt-4o","name":"bench","tools":[{"type":"file_search"}]}""")).GetProperty("id").GetString()!;

    private static async Task<string> CreateThreadAsync(IAgentStore store, int length, string? attached)
    {
        var thread = new AssistantThread { Id = IdGenerator.Thread(), CreatedAt = 1 };
        var text = string.Join(' ', Enumerable.Repeat("The quick brown fox jumps over the lazy dog.", 4));
        var messages = Enumerable.Range(0, length).Select(i => new ThreadMessage
        {
            Id = IdGenerator.Message(),
            CreatedAt = 1 + i,
            ThreadId = thread.Id,
            Role = i % 2 == 0 || i == length - 1 ? MessageRoles.User : MessageRoles.Assistant,
            Content = [MessageContent.FromText($"{i}: {text}")],
            Attachments = i == 0 && attached is not null ? [new MessageAttachment { FileId = attached, Tools = [new ToolDefinition { Type = ToolTypes.FileSearch }] }] : [],
        }).ToList();
        await store.CreateThreadAsync(thread, messages, CancellationToken.None);
        return thread.Id;
    }

    /// <summary>Checks that the thread's last run searched and found the file its first message attached: what the timed runs do.</summary>
    private static async Task AssertFoundAsync(IAgentStore store, string threadId, string fileId)
    {
        var run = (await store.ListRunsAsync(threadId, new ListQuery { Limit = 1 }, CancellationToken.None)).Data[0];
        var steps = (await store.ListStepsAsync(threadId, run.Id, ListQuery.Default, CancellationToken.None)).Data;
        var found = steps.SelectMany(s => s.StepDetails.ToolCalls ?? [])
            .Where(c => c.Type == ToolTypes.FileSearch && c.Details is { } details)
            .SelectMany(c => FileSearchCall.Results(System.Text.Json.Nodes.JsonNode.Parse(c.Details!.Value.GetRawText())))
            .Any(r => r.FileId == fileId);
        if (!found)
        {
            throw new InvalidOperationException($"A file_search run on thread {threadId} did not find the file its first message attached.");
        }
    }

    /// <summary>One streamed run on the thread, timed from the request to <c>done</c>; its reply is then deleted.</summary>
    private async Task<double> RunOnceAsync(IAgentStore store, string assistant, string threadId, string truncation)
    {
        var body = $$"""{"assistant_id":"{{assistant}}","stream":true,"truncation_strategy":{{truncation}}}""";
        var start = Stopwatch.GetTimestamp();
        using (var request = new HttpRequestMessage(HttpMethod.Post, $"{host.BaseUrl}/v1/threads/{threadId}/runs") { Content = BenchHost.Json(body) })
        using (var response = await host.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"Creating a run answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }

            using var events = await SseReader.OpenAsync(response, CancellationToken.None);
            if (!await events.ReadUntilEventAsync("thread.run.completed", CancellationToken.None) || !await events.ReadUntilEventAsync("done", CancellationToken.None))
            {
                throw new InvalidOperationException("A run on a long thread did not complete.");
            }
        }

        var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        var reply = await store.ListMessagesAsync(threadId, new ListQuery { Limit = 1 }, null, CancellationToken.None);
        if (reply.Data is [{ Role: MessageRoles.Assistant } written] && written.RunId is not null)
        {
            await store.DeleteMessageAsync(threadId, written.Id, CancellationToken.None);
        }

        return elapsed;
    }
}
