using System.Data.Common;

namespace AgentHost.Core.Observability;

/// <summary>
/// The usage ledger's row layout, shared by every <see cref="IUsageLedger"/> store: money as whole picodollars, and how a
/// scope's totals and a model call are read back. Only the SQL differs between stores.
/// </summary>
public static class UsageLedgerRows
{
    /// <summary>Picodollars (10⁻¹² USD) in a dollar: every price is a whole number of them per token, so totals add up exactly.</summary>
    public const decimal PicosPerDollar = 1_000_000_000_000m;

    /// <summary>US dollars as whole picodollars, as the ledger keeps money.</summary>
    public static long Picos(decimal? usd) => usd is { } value ? (long)decimal.Round(value * PicosPerDollar) : 0;

    /// <summary>
    /// The <c>model_calls</c> row of a call as named parameters (<c>@id</c>, <c>@started</c>, … <c>@calls</c>), in the
    /// order of the stores' column lists.
    /// </summary>
    public static (string Name, object? Value)[] CallParameters(ModelCallRecord call)
    {
        var (usage, cost) = (call.Usage, call.Cost);
        return
        [
            ("@id", call.Id), ("@started", call.StartedAt), ("@duration", call.DurationMs), ("@ttft", call.TimeToFirstUpdateMs),
            ("@entry", call.EntryPoint), ("@key", call.ApiKeyId), ("@session", call.SessionId), ("@run", call.RunId), ("@thread", call.ThreadId),
            ("@assistant", call.AssistantId), ("@provider", call.Provider), ("@model", call.Model), ("@served", call.ServedModel),
            ("@status", call.Status), ("@error", call.Error), ("@stop", call.StopReason), ("@input", usage?.InputTokens ?? 0),
            ("@cached", usage?.CachedInputTokens ?? 0), ("@write", usage?.CacheWriteTokens ?? 0), ("@output", usage?.OutputTokens ?? 0),
            ("@reasoning", usage?.ReasoningTokens ?? 0), ("@reported", usage?.Reported != false), ("@input_p", Picos(cost?.InputUsd)),
            ("@cached_p", Picos(cost?.CachedInputUsd)), ("@write_p", Picos(cost?.CacheWriteUsd)), ("@output_p", Picos(cost?.OutputUsd)),
            ("@priced_as", cost?.PricedAs), ("@tools", call.ToolsOffered), ("@calls", string.Join('\n', call.ToolCalls)), ("@project", call.Project),
        ];
    }

    /// <summary>
    /// The running totals a call adds to: its run's and its parent runs' and its session's (lifetime), its assistant's,
    /// its API key's and its project's (the call's month).
    /// </summary>
    public static List<(string Scope, string Id, string Period)> TotalsOf(ModelCallRecord call)
    {
        var month = SpendScopes.Month(DateTimeOffset.FromUnixTimeMilliseconds(call.StartedAt));
        var totals = new List<(string Scope, string Id, string Period)>(5 + call.ParentRunIds.Count);
        void Add(string scope, string? id, string period)
        {
            if (id is not null)
            {
                totals.Add((scope, id, period));
            }
        }

        Add(SpendScopes.Run, call.RunId, SpendScopes.Lifetime);
        foreach (var parentRunId in call.ParentRunIds)
        {
            Add(SpendScopes.Run, parentRunId, SpendScopes.Lifetime);
        }

        Add(SpendScopes.Session, call.SessionId, SpendScopes.Lifetime);
        Add(SpendScopes.Assistant, call.AssistantId, month);
        Add(SpendScopes.ApiKey, call.ApiKeyId, month);
        Add(SpendScopes.Project, call.Project, month);
        return totals;
    }

    /// <summary>
    /// The project a running total of <paramref name="scope"/> is kept under (<c>usage_totals.project</c>): a session's
    /// totals are the call's project's, because clients choose session ids and two projects may use the same one; every
    /// other scope's id is issued by AgentHost and belongs to one project, so it has one row, under <c>""</c>.
    /// </summary>
    public static string TotalsProject(string scope, ModelCallRecord call) => scope == SpendScopes.Session ? call.Project : "";

    /// <summary>
    /// A scope's totals from twelve columns starting at <paramref name="at"/>: calls, unpriced calls, errors, four token
    /// counts, input, output and cache picodollars, first and last call.
    /// </summary>
    public static ScopeSpend ReadSpend(DbDataReader reader, int at)
    {
        var input = reader.GetInt64(at + 7) / PicosPerDollar;
        var output = reader.GetInt64(at + 8) / PicosPerDollar;
        var cache = reader.GetInt64(at + 9) / PicosPerDollar;
        return new ScopeSpend
        {
            ModelCalls = reader.GetInt64(at),
            UnpricedCalls = reader.GetInt64(at + 1),
            Errors = reader.GetInt64(at + 2),
            InputTokens = reader.GetInt64(at + 3),
            CachedInputTokens = reader.GetInt64(at + 4),
            CacheWriteTokens = reader.GetInt64(at + 5),
            OutputTokens = reader.GetInt64(at + 6),
            InputUsd = input,
            OutputUsd = output,
            CacheUsd = cache,
            CostUsd = input + output + cache,
            FirstAt = reader.GetInt64(at + 10),
            LastAt = reader.GetInt64(at + 11),
        };
    }

    /// <summary>A <c>model_calls</c> row, its columns in the order of the table.</summary>
    public static ModelCallRecord ReadCall(DbDataReader reader)
    {
        string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
        var pricedAs = Text(26);
        var toolCalls = reader.GetString(28);
        return new ModelCallRecord
        {
            Id = reader.GetString(0),
            StartedAt = reader.GetInt64(1),
            DurationMs = reader.GetInt64(2),
            TimeToFirstUpdateMs = reader.IsDBNull(3) ? null : reader.GetInt64(3),
            EntryPoint = reader.GetString(4),
            ApiKeyId = reader.GetString(5),
            SessionId = Text(6),
            RunId = Text(7),
            ThreadId = Text(8),
            AssistantId = Text(9),
            Provider = Text(10),
            Model = reader.GetString(11),
            ServedModel = Text(12),
            Status = reader.GetString(13),
            Error = Text(14),
            StopReason = Text(15),
            Usage = new TraceUsage
            {
                InputTokens = reader.GetInt32(16),
                CachedInputTokens = reader.GetInt32(17),
                CacheWriteTokens = reader.GetInt32(18),
                OutputTokens = reader.GetInt32(19),
                ReasoningTokens = reader.GetInt32(20),
                Reported = reader.GetBoolean(21),
            },
            Cost = pricedAs is null ? null : new TraceCost
            {
                InputUsd = reader.GetInt64(22) / PicosPerDollar,
                CachedInputUsd = reader.GetInt64(23) / PicosPerDollar,
                CacheWriteUsd = reader.GetInt64(24) / PicosPerDollar,
                OutputUsd = reader.GetInt64(25) / PicosPerDollar,
                PricedAs = pricedAs,
            },
            ToolsOffered = reader.GetInt32(27),
            ToolCalls = toolCalls.Length == 0 ? [] : toolCalls.Split('\n'),
        };
    }
}
