using AgentHost.Bench;

var options = BenchOptions.Parse(args);
Console.WriteLine($"AgentHost bench — {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
Console.WriteLine();

await using var host = await BenchHost.StartAsync();
var assistantId = await host.CreateAssistantAsync();

if (options.Scenario is "throughput" or "all")
{
    var throughput = new ThroughputScenario(host, assistantId, options);
    Report.Throughput(options, [await throughput.RunStreamedAsync(), await throughput.RunPolledAsync()]);
}

if (options.Scenario is "latency" or "all")
{
    Report.Latency(await new LatencyScenario(host, assistantId, options).RunAsync());
}
