using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Core.Domain;
using AgentHost.Core.Engine;
using AgentHost.Core.Observability;
using AgentHost.Core.Retrieval;
using AgentHost.Core.Storage;
using AgentHost.Core.Tools;
using AgentHost.Core.VectorStores;
using Microsoft.Extensions.AI;

namespace AgentHost.Core.FileSearch;

/// <summary>
/// The <c>file_search</c> built-in tool. The model sends one or more rewritten <c>queries</c>; the tool searches the
/// vector stores of the run, assistant and thread (adding message attachments to the thread's store first and waiting
/// for their ingestion), records every result with its score and chunk in the step, and shows the model the chunks
/// under citation markers it copies into its answer (see <see cref="CitationMarkers"/>).
/// </summary>
public sealed class FileSearchTool(
    IAgentStore agents,
    IVectorStoreRepository stores,
    VectorStoreSearch search,
    ThreadAttachmentStore attachments,
    IngestionSignal signal,
    FileSearchOptions options,
    TimeProvider time) : IToolSource
{
    public const int DefaultMaxNumResults = 20;
    public const string DefaultRanker = "default_2024_08_21";

    private static readonly JsonElement Parameters = JsonDocument.Parse("""
        {
          "type": "object",
          "properties": {
            "queries": {
              "type": "array",
              "items": { "type": "string" },
              "minItems": 1,
              "maxItems": 5,
              "description": "One to five search queries. Rewrite the user's question into short, specific queries; use several for different aspects or phrasings."
            }
          },
          "required": ["queries"]
        }
        """).RootElement.Clone();

    private static readonly AIFunctionDeclaration Declaration = AIFunctionFactory.CreateDeclaration(
        ToolTypes.FileSearch,
        "Search the files the user has provided (documents, notes, code). Use it for any question the files may answer, then cite the results.",
        Parameters);

    public IReadOnlyCollection<string> Types { get; } = [ToolTypes.FileSearch];

    public ValueTask<IReadOnlyList<AIFunctionDeclaration>> DeclareAsync(ThreadRun run, ToolDefinition definition, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<AIFunctionDeclaration>>([Declaration]);

    public async Task<ToolCallOutcome> InvokeAsync(ToolInvocation call, CancellationToken cancellationToken)
    {
        var queries = ReadQueries(call.Arguments);
        var settings = call.Definition.FileSearch;
        var ranking = RankingOptions.From(settings?.RankingOptions);
        var storeIds = await StoreIdsAsync(call.Run, cancellationToken);
        await WaitForIngestionAsync(storeIds, cancellationToken);

        var live = new List<string>();
        foreach (var id in storeIds)
        {
            if (await stores.GetAsync(id, cancellationToken) is { Status: not VectorStoreStatus.Expired })
            {
                live.Add(id);
            }
        }

        var hits = queries.Count == 0 ? [] : await search.SearchAsync(
            new SearchRequest(live, queries, settings?.MaxNumResults ?? DefaultMaxNumResults, ranking.ScoreThreshold, ranking.Weights, call.Definition.Setting("filters"), ranking.EngineRanker,
                ModelCallScope.ForRun(call.Run, 0) with { EstimatedPromptTokens = null }),
            cancellationToken);
        var results = hits.Select(h => new FileSearchResult(h.FileId, h.Filename, h.Score, h.Text, Attributes(h.Attributes))).ToList();
        var payload = FileSearchCall.Create(await CallNumberAsync(call.Run, cancellationToken), ranking.ForStep(), queries, results);
        return new ToolCallOutcome(new StepToolCall
        {
            Id = call.CallId,
            Type = ToolTypes.FileSearch,
            Details = JsonSerializer.SerializeToElement(payload, EngineJsonContext.Default.JsonObject),
        });
    }

    public ToolCallView Describe(StepToolCall call)
    {
        var payload = call.Details is { } json ? JsonNode.Parse(json.GetRawText()) : null;
        var queries = FileSearchCall.Queries(payload);
        var arguments = new JsonObject { ["queries"] = new JsonArray([.. queries.Select(q => (JsonNode)JsonValue.Create(q))]) };
        var output = CitationMarkers.ToolOutput(FileSearchCall.CallNumber(payload), queries, FileSearchCall.Results(payload));
        return new ToolCallView(ToolTypes.FileSearch, arguments.ToJsonString(), output);
    }

    /// <summary>How many file_search calls the run's finished turns made: this call's citation number.</summary>
    private async Task<int> CallNumberAsync(ThreadRun run, CancellationToken cancellationToken) =>
        (await agents.ListStepsAsync(run.ThreadId, run.Id, new ListQuery { Limit = int.MaxValue, Ascending = true }, cancellationToken)).Data
            .SelectMany(s => s.StepDetails.ToolCalls ?? [])
            .Count(c => c.Type == ToolTypes.FileSearch);

    private async Task<IReadOnlyList<string>> StoreIdsAsync(ThreadRun run, CancellationToken cancellationToken)
    {
        var ids = new List<string>(run.ToolResources.FileSearch?.VectorStoreIds ?? []);
        if (await agents.GetAssistantAsync(run.AssistantId, cancellationToken) is { } assistant)
        {
            ids.AddRange(assistant.ToolResources.FileSearch?.VectorStoreIds ?? []);
        }

        ids.AddRange(await attachments.EnsureAsync(run.ThreadId, cancellationToken));
        return [.. ids.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>Waits (bounded by <see cref="FileSearchOptions.SearchWaitForIngestion"/>) until no file of the stores is still being ingested.</summary>
    private async Task WaitForIngestionAsync(IReadOnlyList<string> storeIds, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + options.SearchWaitForIngestion;
        while (true)
        {
            var finished = signal.NextFinishedAsync();
            var pending = false;
            foreach (var id in storeIds)
            {
                pending |= (await stores.GetAsync(id, cancellationToken))?.FileCounts.InProgress > 0;
            }

            var left = deadline - time.GetUtcNow();
            if (!pending || left <= TimeSpan.Zero)
            {
                return;
            }

            // A finished file wakes us; the poll interval covers ingestion done by another process.
            await Task.WhenAny(finished, Task.Delay(options.IngestionPollInterval < left ? options.IngestionPollInterval : left, time, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private static IReadOnlyList<string> ReadQueries(string arguments)
    {
        try
        {
            using var document = JsonDocument.Parse(arguments);
            var root = document.RootElement;
            var queries = new List<string>();
            if (root.TryGetProperty("queries", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                queries.AddRange(list.EnumerateArray().Where(q => q.ValueKind == JsonValueKind.String).Select(q => q.GetString()!));
            }

            if (root.TryGetProperty("query", out var single) && single.ValueKind == JsonValueKind.String)
            {
                queries.Add(single.GetString()!);
            }

            return [.. queries.Select(q => q.Trim()).Where(q => q.Length > 0).Distinct(StringComparer.Ordinal).Take(5)];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static JsonObject Attributes(IReadOnlyDictionary<string, object?> attributes)
    {
        var json = new JsonObject();
        foreach (var (key, value) in attributes)
        {
            json[key] = value switch
            {
                string text => JsonValue.Create(text),
                bool flag => JsonValue.Create(flag),
                double number => JsonValue.Create(number),
                long number => JsonValue.Create(number),
                _ => null,
            };
        }

        return json;
    }
}
