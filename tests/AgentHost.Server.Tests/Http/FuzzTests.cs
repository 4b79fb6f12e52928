using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Server.Tests.Support;
using AgentHost.Testing;
using Xunit.Abstractions;

namespace AgentHost.Server.Tests.Http;

/// <summary>
/// Thousands of mutated requests (fixed seed, bounded time) to every operation: wrong types, huge and deep values,
/// odd unicode, truncated and non-JSON bodies, bad query strings and headers. None may answer 5xx, every refusal is
/// the API's error envelope, and a refused request changes nothing that can be read back.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Seed = 20261130;
    private const int MutationsPerOperation = 150;
    private static readonly TimeSpan TimeBudget = TimeSpan.FromMinutes(4);

    // Stands for nesting deeper than the test's own JSON writer allows; replaced in the serialized body.
    private const string DeepMarker = "__deep_marker__";

    private AgentHostServer _server = null!;
    private HttpClient _http = null!;
    private Ids _ids = null!;

    public async Task InitializeAsync()
    {
        _server = await AgentHostServer.StartAsync();
        _http = _server.Http();
        _ids = await Ids.CreateAsync(_http);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task MutatedRequests_NeverAnswer5xx_AlwaysUseTheEnvelope_AndRefusalsChangeNothing()
    {
        var random = new Random(Seed);
        var clock = Stopwatch.StartNew();
        var sent = 0;
        var failures = new SortedSet<string>(StringComparer.Ordinal);
        var snapshot = await SnapshotAsync();
        foreach (var operation in Operations(_ids))
        {
            for (var i = 0; i < MutationsPerOperation && clock.Elapsed < TimeBudget && failures.Count < 20; i++)
            {
                using var request = Mutate(operation, random, out var description);
                using var response = await _http.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                sent++;
                var status = (int)response.StatusCode;
                if (status >= 500)
                {
                    failures.Add($"{status} for {Kind(operation, description)}: {Truncate(body)}");
                    continue;
                }

                if (status >= 400)
                {
                    if (EnvelopeProblem(operation.Path, body) is { } problem)
                    {
                        failures.Add($"{status} without the envelope ({problem}) for {Kind(operation, description)}: {Truncate(body)}");
                    }

                    var after = await SnapshotAsync();
                    if (after != snapshot)
                    {
                        failures.Add($"{status} changed stored state for {Kind(operation, description)}");
                        snapshot = after;
                    }
                }
                else
                {
                    await SettleAsync();
                    snapshot = await SnapshotAsync();
                }
            }
        }

        output.WriteLine($"{sent} mutated requests in {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(sent >= 500, $"only {sent} requests were sent within {TimeBudget}");
    }

    [Theory]
    [InlineData("messages", """{"model":"","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("messages/count_tokens", """{"model":"","messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("messages", """{"model":"gpt-4o","max_tokens":5,"messages":[{"role":"user","content":"hi"}],"tools":[{"name":"f","input_schema":{"type":"array"}}]}""")]
    public async Task FormerFindings_OnMessages_AreAnthropic400s(string path, string body)
    {
        using var response = await _http.PostAsync(path, JsonBody.Of(body));
        var parsed = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("invalid_request_error", parsed["error"]!["type"]!.GetValue<string>());
        Assert.Empty(_server.Upstream.Requests);
    }

    /// <summary>What the fuzzer found once, kept as plain cases.</summary>
    [Theory]
    [InlineData("assistants", "{\"na\xC3(me\":1}", "invalid_encoding")]
    [InlineData("assistants", """{"model":"gpt-4o","tools":[{"type":"function","function":{"name":""}}]}""", "invalid_value")]
    [InlineData("chat/completions", """{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":""}}]}""", "invalid_value")]
    [InlineData("chat/completions", """{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_schema","json_schema":{"name":"a b"}}}""", "invalid_value")]
    [InlineData("chat/completions", """{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":"f","parameters":{"type":[]}}}]}""", "invalid_value")]
    [InlineData("chat/completions", """{"model":"","messages":[{"role":"user","content":"hi"}]}""", "invalid_value")]
    public async Task FormerFindings_AreRefusedWith400(string path, string body, string code)
    {
        using var content = new ByteArrayContent(body.Select(c => (byte)c).ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await _http.PostAsync(path, content);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal(code, error["code"]!.GetValue<string>());
    }

    private static IEnumerable<Operation> Operations(Ids ids) =>
    [
        new("POST", "assistants", """{"model":"gpt-4o","name":"a","instructions":"Be brief.","tools":[{"type":"code_interpreter"},{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":{"x":{"type":"string"}}}}}],"metadata":{"k":"v"},"temperature":1,"response_format":{"type":"json_object"}}"""),
        new("POST", $"assistants/{ids.Assistant}", """{"name":"b","instructions":"Be terse.","metadata":{"k":"w"},"top_p":0.5}"""),
        new("GET", "assistants", null, "limit=2&order=asc&after=asst_x&before=asst_y"),
        new("POST", "threads", """{"messages":[{"role":"user","content":"hi","metadata":{"a":"b"}}],"metadata":{"t":"1"}}"""),
        new("POST", $"threads/{ids.Thread}", """{"metadata":{"t":"2"}}"""),
        new("POST", $"threads/{ids.Thread}/messages", """{"role":"user","content":[{"type":"text","text":"hello"}],"metadata":{"m":"1"}}"""),
        new("GET", $"threads/{ids.Thread}/messages", null, "limit=5&order=desc&run_id=run_x"),
        new("POST", $"threads/{ids.Thread}/runs", $$$"""{"assistant_id":"{{{ids.Assistant}}}","instructions":"x","additional_messages":[{"role":"user","content":"go"}],"max_completion_tokens":100,"truncation_strategy":{"type":"last_messages","last_messages":2},"tool_choice":"auto","parallel_tool_calls":true}"""),
        new("POST", "threads/runs", $$$"""{"assistant_id":"{{{ids.Assistant}}}","thread":{"messages":[{"role":"user","content":"hi"}]},"model":"gpt-4o","temperature":0.2}"""),
        new("POST", "vector_stores", """{"name":"vs","metadata":{"a":"b"},"chunking_strategy":{"type":"static","static":{"max_chunk_size_tokens":200,"chunk_overlap_tokens":50}},"expires_after":{"anchor":"last_active_at","days":3}}"""),
        new("POST", $"vector_stores/{ids.VectorStore}/search", """{"query":"widgets","max_num_results":5,"filters":{"type":"and","filters":[{"type":"eq","key":"a","value":"b"},{"type":"in","key":"n","value":[1,2]}]},"ranking_options":{"ranker":"auto","score_threshold":0.1}}"""),
        new("POST", $"vector_stores/{ids.VectorStore}/files", $$$"""{"file_id":"{{{ids.File}}}","attributes":{"a":"b","n":1,"f":true}}"""),
        new("GET", $"vector_stores/{ids.VectorStore}/files", null, "limit=3&filter=completed&order=asc"),
        new("POST", "uploads", """{"filename":"a.txt","purpose":"assistants","bytes":5,"mime_type":"text/plain"}"""),
        new("GET", "files", null, "purpose=assistants&limit=2&order=desc"),
        new("POST", "messages", """{"model":"claude-sonnet-4-5","max_tokens":50,"system":[{"type":"text","text":"Be brief.","cache_control":{"type":"ephemeral"}}],"messages":[{"role":"user","content":[{"type":"text","text":"hi"}]}],"tools":[{"name":"f","input_schema":{"type":"object"}}],"tool_choice":{"type":"auto"},"metadata":{"user_id":"u"},"stop_sequences":["END"],"temperature":0.5}"""),
        new("POST", "messages/count_tokens", """{"model":"gpt-4o","system":"s","messages":[{"role":"user","content":"hi"}],"tools":[{"name":"f","input_schema":{"type":"object"}}]}"""),
        new("POST", "chat/completions", """{"model":"gpt-4o","messages":[{"role":"system","content":"s"},{"role":"user","content":[{"type":"text","text":"hi"}]}],"max_tokens":10,"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}],"response_format":{"type":"json_schema","json_schema":{"name":"x","schema":{"type":"object"}}},"stream_options":null}"""),
        new("GET", "agenthost/usage", null, "start_time=0&end_time=9999999999&group_by=model&entry_point=assistants"),
        new("GET", "agenthost/sessions", null, "limit=5&after=x"),
    ];

    private static HttpRequestMessage Mutate(Operation operation, Random random, out string description)
    {
        var request = new HttpRequestMessage(new HttpMethod(operation.Method), operation.Path + (operation.Query is null ? "" : "?" + MutateQuery(operation.Query, random)));
        description = $"{operation.Method} {request.RequestUri}";
        if (random.Next(8) == 0)
        {
            (string Name, string Value)[] headers =
            [
                ("anthropic-version", "1999-01-01"), ("anthropic-beta", "no-such-beta,,"), ("OpenAI-Beta", "assistants=v1"),
                ("x-agenthost-session", new string('s', 4000)), ("Accept", "text/event-stream"), ("x-claude-code-session-id", "../../etc"),
            ];
            var (name, value) = headers[random.Next(headers.Length)];
            request.Headers.TryAddWithoutValidation(name, value);
            description += $" [{name}: {value[..Math.Min(value.Length, 20)]}]";
        }
        if (operation.Body is null)
        {
            return request;
        }

        var (bytes, what) = MutateBody(operation.Body, random);
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = random.Next(20) == 0
            ? new MediaTypeHeaderValue("application/json") { CharSet = random.Next(2) == 0 ? "latin1" : "utf-16" }
            : new MediaTypeHeaderValue("application/json");
        request.Content = content;
        description += $" with {what}";
        return request;
    }

    private static string MutateQuery(string query, Random random)
    {
        var pairs = query.Split('&').Select(p => p.Split('=', 2)).ToList();
        var index = random.Next(pairs.Count);
        string[] values = ["-1", "0", "abc", "101", "1e3", "", "%00", "%ED%A0%80", "%FF", new string('9', 40), "true", "null", "[]", "%22"];
        pairs[index][1] = values[random.Next(values.Length)];
        return string.Join("&", pairs.Select(p => p[0] + "=" + p[1]));
    }

    private static (byte[] Bytes, string What) MutateBody(string seed, Random random)
    {
        switch (random.Next(12))
        {
            case 0:
                var cut = random.Next(seed.Length);
                return (Encoding.UTF8.GetBytes(seed[..cut]), $"the body cut at {cut}");
            case 1:
                return ([0x7B, 0x22, 0xC3, 0x28, 0x22, 0x3A, 0x31, 0x7D], "invalid UTF-8");
            case 2:
                string[] bodies = ["", "null", "[]", "42", "\"text\"", "{", "not json", "{\"a\":1,\"a\":2}", "{\"model\":\"\\ud800\"}"];
                var body = bodies[random.Next(bodies.Length)];
                return (Encoding.UTF8.GetBytes(body), $"the body '{body}'");
            default:
                var node = JsonNode.Parse(seed)!;
                var what = MutateNode(node, random);
                var json = node.ToJsonString().Replace($"\"{DeepMarker}\"", new string('[', 5000) + new string(']', 5000), StringComparison.Ordinal);
                return (Encoding.UTF8.GetBytes(json), what);
        }
    }

    /// <summary>Changes one value somewhere in the tree (or removes or adds a property) and says what it did.</summary>
    private static string MutateNode(JsonNode root, Random random)
    {
        var slots = new List<(JsonNode Parent, object Key)>();
        Collect(root, slots);
        if (slots.Count == 0 || random.Next(10) == 0)
        {
            root.AsObject()["unknown_" + random.Next(100)] = 1;
            return "an unknown property";
        }

        var (parent, key) = slots[random.Next(slots.Count)];
        var replacement = Replacement(random, out var what);
        if (parent is JsonObject obj)
        {
            var name = (string)key;
            if (random.Next(6) == 0)
            {
                obj.Remove(name);
                return $"'{name}' removed";
            }

            obj[name] = replacement;
            return $"'{name}' set to {what}";
        }

        parent.AsArray()[(int)key] = replacement;
        return $"[{key}] set to {what}";
    }

    private static void Collect(JsonNode node, List<(JsonNode, object)> slots)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj.ToList())
                {
                    slots.Add((obj, name));
                    if (child is not null)
                    {
                        Collect(child, slots);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    slots.Add((array, i));
                    if (array[i] is { } child)
                    {
                        Collect(child, slots);
                    }
                }

                break;
        }
    }

    private static JsonNode? Replacement(Random random, out string what)
    {
        switch (random.Next(16))
        {
            case 0: what = "null"; return null;
            case 1: what = "true"; return true;
            case 2: what = "-1"; return -1;
            case 3: what = "1e308"; return JsonNode.Parse("1e308");
            case 4: what = "1.5"; return 1.5;
            case 5: what = "\"\""; return "";
            case 6: what = "a 100k string"; return new string('x', 100_000);
            case 7: what = "a lone surrogate"; return "a\ud800b";
            case 8: what = "a NUL"; return "a\0b";
            case 9: what = "{}"; return new JsonObject();
            case 10: what = "[]"; return new JsonArray();
            case 11: what = "5000-deep arrays"; return DeepMarker;
            case 12: what = "20000 items"; return new JsonArray([.. Enumerable.Range(0, 20_000).Select(i => (JsonNode?)JsonValue.Create(i))]);
            case 13: what = "an emoji and RTL text"; return "\U0001F600\u202Eabc";
            case 14: what = "a huge integer"; return JsonNode.Parse("123456789012345678901234567890");
            default: what = "\"unknown_value\""; return "unknown_value";
        }
    }

    /// <summary>Null when <paramref name="body"/> is the error envelope of the API at <paramref name="path"/>, else what is wrong.</summary>
    private static string? EnvelopeProblem(string path, string body)
    {
        JsonNode? parsed;
        try
        {
            parsed = JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return "not JSON";
        }

        var anthropic = path.StartsWith("messages", StringComparison.Ordinal);
        if (anthropic && parsed?["type"]?.GetValue<string>() != "error")
        {
            return "no type: error";
        }

        var error = parsed?["error"];
        return error?["message"] is JsonValue message && message.GetValue<string>().Length > 0 && error["type"] is JsonValue
            ? null
            : "no error.message and error.type";
    }

    /// <summary>What a refused request must not change: every list a client can read back, and the seeded objects.</summary>
    private async Task<string> SnapshotAsync()
    {
        var parts = new List<string>();
        foreach (var path in (string[])["assistants?limit=100", "files?limit=100", "vector_stores?limit=100", $"threads/{_ids.Thread}",
                     $"threads/{_ids.Thread}/messages?limit=100", $"threads/{_ids.Thread}/runs?limit=100", $"vector_stores/{_ids.VectorStore}/files?limit=100"])
        {
            parts.Add(await _http.GetStringAsync(path));
        }

        // last_active_at and usage move on reads and searches; they are not what a refusal could change.
        return System.Text.RegularExpressions.Regex.Replace(string.Join("\n", parts), "\"(last_active_at|last_used_at)\":\\s*\\d+", "");
    }

    /// <summary>Waits until the seeded thread's runs and the seeded store's ingestion are done, so the next snapshot is stable.</summary>
    private async Task SettleAsync()
    {
        await Eventually.ReturnsAsync(async () =>
        {
            var runs = JsonNode.Parse(await _http.GetStringAsync($"threads/{_ids.Thread}/runs?limit=100"))!["data"]!.AsArray();
            var store = JsonNode.Parse(await _http.GetStringAsync($"vector_stores/{_ids.VectorStore}"))!;
            return runs.All(r => r!["status"]!.GetValue<string>() is not ("queued" or "in_progress" or "cancelling"))
                && store["file_counts"]!["in_progress"]!.GetValue<int>() == 0 ? "settled" : null;
        }, _ => true, "the seeded thread's runs and store's ingestion to settle", TimeSpan.FromMinutes(1));
    }

    /// <summary>The mutation without ids and query values, so one bug is reported once however often it is hit.</summary>
    private static string Kind(Operation operation, string description) =>
        $"{operation.Method} {operation.Path.Split('/')[0]} {description[(description.IndexOf(" with ", StringComparison.Ordinal) is var at and >= 0 ? at : description.Length)..]}";

    private static string Truncate(string body) => body.Length > 300 ? body[..300] + "…" : body;

    private sealed record Operation(string Method, string Path, string? Body, string? Query = null);

    private sealed record Ids(string Assistant, string Thread, string VectorStore, string File)
    {
        public static async Task<Ids> CreateAsync(HttpClient http)
        {
            var assistant = await CreateAsync(http, "assistants", """{"model":"gpt-4o","name":"seed"}""");
            var thread = await CreateAsync(http, "threads", """{"messages":[{"role":"user","content":"seed"}]}""");
            var vectorStore = await CreateAsync(http, "vector_stores", """{"name":"seed"}""");
            using var upload = await http.PostAsync("files", Files.FileEndpointTests.Upload("seed.txt", "seed text"u8.ToArray(), "assistants"));
            var file = JsonNode.Parse(await upload.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
            return new Ids(assistant, thread, vectorStore, file);
        }

        private static async Task<string> CreateAsync(HttpClient http, string path, string body)
        {
            using var response = await http.PostAsync(path, JsonBody.Of(body));
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, text);
            return JsonNode.Parse(text)!["id"]!.GetValue<string>();
        }
    }
}
