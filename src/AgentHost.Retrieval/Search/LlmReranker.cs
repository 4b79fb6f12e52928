using System.Text;
using System.Text.Json;
using AgentHost.Core.Errors;
using AgentHost.Core.Models;
using AgentHost.Core.Observability;
using AgentHost.Core.Retrieval;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentHost.Retrieval.Search;

/// <summary>
/// <c>ranking_options.ranker</c> <c>llm</c>: asks a chat model (<c>AgentHost:Retrieval:RerankerModel</c>, served by
/// AgentHost's own model router, so the call goes through the same pipeline — retries, fallback, tracing, pricing —
/// as every other model call, under the scope of the run or request that searched) to grade the best candidates 0–10 for the query; they are re-ordered by grade (ties
/// keep the engine's order) and scored grade / 10. A reply that cannot be read leaves the engine's order, logged.
/// </summary>
internal sealed partial class LlmReranker(IServiceProvider services, IOptions<RetrievalOptions> options, ILogger<LlmReranker> logger)
{
    public const string RankerName = "llm";

    private const int PassageCharacters = 2000;

    private const string Instructions = """
        You grade passages for a search engine. For each passage, give how well it answers the query, from 0 (unrelated)
        to 10 (answers it fully). Reply with JSON only, no prose: {"grades":[{"id":0,"grade":7},{"id":1,"grade":0}]},
        one entry per passage, ids as given.
        """;

    /// <summary>How many of the engine's best candidates a search hands the model.</summary>
    public int Candidates => options.Value.RerankerCandidates;

    /// <summary>Fails before any work when the ranker cannot run here, naming the setting.</summary>
    public void EnsureConfigured()
    {
        if (string.IsNullOrWhiteSpace(options.Value.RerankerModel))
        {
            throw ApiException.Invalid(
                "'ranking_options.ranker' 'llm' needs a reranking model: set AgentHost:Retrieval:RerankerModel to a model AgentHost serves.",
                "ranking_options.ranker");
        }
    }

    /// <param name="scope">Who the call is for (a run's <c>file_search</c>, the search endpoint); a search that names no one is the endpoint's.</param>
    public async Task<IReadOnlyList<SearchHit>> RerankAsync(string query, IReadOnlyList<SearchHit> hits, ModelCallScope? scope, CancellationToken cancellationToken)
    {
        if (hits.Count < 2)
        {
            return hits;
        }

        var router = (IModelRouter?)services.GetService(typeof(IModelRouter))
            ?? throw new InvalidOperationException("The LLM reranker needs AgentHost's model router (IModelRouter), which is not registered.");
        var model = options.Value.RerankerModel!;
        var prompt = new StringBuilder().Append("Query: ").AppendLine(query).AppendLine().AppendLine("Passages:");
        for (var i = 0; i < hits.Count; i++)
        {
            var text = hits[i].Text.Length > PassageCharacters ? hits[i].Text[..PassageCharacters] : hits[i].Text;
            prompt.Append('[').Append(i).Append("] ").AppendLine(text.ReplaceLineEndings(" "));
        }

        var response = await router.GetClient(model).GetResponseAsync(
            [new ChatMessage(ChatRole.System, Instructions), new ChatMessage(ChatRole.User, prompt.ToString())],
            (scope ?? new ModelCallScope { EntryPoint = ModelCallEntryPoints.VectorStoreSearch })
                .AttachTo(new ChatOptions { ModelId = model, Temperature = 0, MaxOutputTokens = 16 * hits.Count + 64 }), cancellationToken);
        if (ReadGrades(response.Text, hits.Count) is not { } grades)
        {
            LogUnreadableReply(logger, model, response.Text.Length > 200 ? response.Text[..200] : response.Text);
            return hits;
        }

        return [.. hits.Select((hit, i) => (hit, i, grade: grades[i]))
            .OrderByDescending(p => p.grade).ThenBy(p => p.i)
            .Select(p => p.hit with { Score = Math.Clamp(p.grade, 0, 10) / 10.0 })];
    }

    /// <summary>The grade per passage id from the model's JSON (the first object in the text); null when unreadable. Ungraded passages get 0.</summary>
    internal static double[]? ReadGrades(string text, int count)
    {
        var start = text.IndexOf('{', StringComparison.Ordinal);
        var end = text.LastIndexOf('}');
        if (start < 0 || end <= start)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text[start..(end + 1)]);
            if (!document.RootElement.TryGetProperty("grades", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var grades = new double[count];
            var graded = 0;
            foreach (var item in list.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("id", out var id) && id.TryGetInt32(out var index)
                    && index >= 0 && index < count && item.TryGetProperty("grade", out var grade) && grade.TryGetDouble(out var value))
                {
                    grades[index] = value;
                    graded++;
                }
            }

            return graded == 0 ? null : grades;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Reranking model {Model} replied with no readable grades; the engine's order is kept. Reply: {Reply}")]
    private static partial void LogUnreadableReply(ILogger logger, string model, string reply);
}
