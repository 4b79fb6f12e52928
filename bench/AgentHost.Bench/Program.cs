using AgentHost.Bench;

var options = BenchOptions.Parse(args);
Console.WriteLine($"AgentHost bench — {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
Console.WriteLine();

if (options.Scenario is "sandbox")
{
    // Needs no server: the sandbox is measured on its own.
    Report.Sandbox(await new SandboxScenario(options).RunAsync());
    return;
}

if (options.Scenario is "library")
{
    // Needs no server: the engine runs in-process through AgentHost.Agents.
    await LibraryScenario.RunAsync(options);
    return;
}

if (options.Scenario is "nodes")
{
    // Starts its own hosts: one on SQLite, then 1, 2 and 3 on one PostgreSQL schema.
    await NodesScenario.RunAsync(options);
    return;
}

if (options.Scenario is "session-history")
{
    // Starts its own hosts: one per log size, with and without compaction.
    await SessionHistoryScenario.RunAsync(options);
    return;
}

if (options.Scenario is "streams")
{
    // Its own host, in front of an upstream that holds every answer open.
    await StreamsScenario.RunAsync(options);
    return;
}

if (options.Scenario is "threads")
{
    // Its own host: the bench model gets a small context window, so that `auto` truncates long threads.
    await using var threadsHost = await BenchHost.StartAsync($"--AgentHost:Runs:ContextWindows:gpt-4o={ThreadsScenario.ContextWindow}");
    var cases = await new ThreadsScenario(threadsHost, await threadsHost.CreateAssistantAsync(), options).RunAsync();
    Console.WriteLine($"Time of one streamed run by thread length ({options.Runs} runs each, ms):");
    Console.WriteLine($"{"truncation",-30} {"messages",9} {"p50",8} {"p90",8} {"mean",8} {"p50 / 1-message",16}");
    foreach (var c in cases)
    {
        var baseline = cases.First(b => b.Truncation == c.Truncation && b.Messages == 1).Time.Percentile(50);
        Console.WriteLine($"{c.Truncation,-30} {c.Messages,9} {c.Time.Percentile(50),8:F2} {c.Time.Percentile(90),8:F2} {c.Time.Mean,8:F2} {c.Time.Percentile(50) / baseline,16:F2}");
    }

    return;
}

if (options.Scenario is "retrieval-embed")
{
    Console.WriteLine("Query embedding, local MiniLM:");
    await AgentHost.Bench.Retrieval.QueryEmbeddingScenario.RunAsync(AgentHost.Bench.Retrieval.Cisi.Load(), passes: 2);
    return;
}

if (options.Scenario is "retrieval-ingest")
{
    Console.WriteLine("Embedding throughput of the local models (ingestion's inner loop):");
    await AgentHost.Bench.Retrieval.EmbeddingThroughputScenario.RunAsync(AgentHost.Bench.Retrieval.Cisi.Load(), options.QueryLimit > 0 ? options.QueryLimit : 300, options.Models);
    return;
}

if (options.Scenario is "retrieval-stages")
{
    Console.WriteLine("CPU per ingested chunk, stage by stage (in-process), then the model's floor:");
    await AgentHost.Bench.Retrieval.IngestionStagesScenario.RunAsync(AgentHost.Bench.Retrieval.Cisi.Load(), options.QueryLimit > 0 ? options.QueryLimit : 20);
    return;
}

if (options.Scenario is "retrieval-profile")
{
    Console.WriteLine("ONNX Runtime profile of a local model embedding CISI chunks:");
    AgentHost.Bench.Retrieval.EmbeddingProfileScenario.Run(AgentHost.Bench.Retrieval.Cisi.Load(), options.QueryLimit > 0 ? options.QueryLimit : 64, options.Models.Split(',')[0]);
    return;
}

if (options.Scenario is "retrieval" or "retrieval-scale")
{
    await AgentHost.Bench.Retrieval.RetrievalScenario.RunAsync(options);
    return;
}

await using var host = await BenchHost.StartAsync();
if (options.Scenario is "retrieval-eval")
{
    var collections = AgentHost.Bench.Retrieval.Eval.EvalCollection.LoadAll(options.Collections, options.QueryLimit);
    await new AgentHost.Bench.Retrieval.Eval.EvalScenario(host, options.Models.Split(',')).RunAsync(collections);
    return;
}

if (options.Scenario is "retrieval-pipeline")
{
    Console.WriteLine("Ingestion through the real pipeline (upload, file batch, worker, index, SQLite):");
    await new AgentHost.Bench.Retrieval.IngestionPipelineScenario(host, AgentHost.Bench.Retrieval.Cisi.Load()).RunAsync(options.QueryLimit > 0 ? options.QueryLimit : 50);
    return;
}

if (options.Scenario is "retrieval-http")
{
    Console.WriteLine("CISI through the HTTP API:");
    await new AgentHost.Bench.Retrieval.HttpQualityScenario(host, AgentHost.Bench.Retrieval.Cisi.Load()).RunAsync(latencyPasses: 4);
    return;
}

var assistantId = await host.CreateAssistantAsync();

if (options.Scenario is "throughput" or "all")
{
    var throughput = new ThroughputScenario(host, assistantId, options);
    Report.Load("Completed runs per second", options, [await throughput.RunStreamedAsync(), await throughput.RunPolledAsync()]);
}

if (options.Scenario is "issue16")
{
    await Issue16Scenario.RunAsync(host, assistantId, options);
}

if (options.Scenario is "layers")
{
    Report.Load("Cost of the layers under a run", options, await new LayersScenario(host, assistantId, options).RunAsync());
}

if (options.Scenario is "latency" or "all")
{
    var latency = await new LatencyScenario(host, assistantId, options).RunAsync();
    Report.Latency(latency);
    Report.EventTimeline(latency);
}

if (options.Scenario is "compat" or "all")
{
    Report.Compat(await new CompatScenario(host, options).RunAsync());
}

if (options.Scenario is "responses")
{
    var responses = new ResponsesScenario(host, options);
    Report.Load("Completed responses per second", options, [await responses.RunWholeAsync(), await responses.RunStreamedAsync(), await new ThroughputScenario(host, assistantId, options).RunStreamedAsync()]);
    Report.Compat(await new CompatScenario(host, options).RunAsync(responses: true));
}

if (options.Scenario is "gateway")
{
    Report.Compat(await new CompatScenario(host, options).RunAsync(large: true));
    Report.Middleware(await new MiddlewareScenario(host, options).RunAsync(), options.Iterations);
}
