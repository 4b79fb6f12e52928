using System.ClientModel;
using AgentHost.Agents;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using OpenAI;
using Orchestrator.Library;

// Any OpenAI-compatible endpoint serves the model: AgentHost itself (any model it routes), OpenAI, or a local server.
var baseUrl = Environment.GetEnvironmentVariable("AGENTHOST_URL") ?? "http://127.0.0.1:8080";
var model = args.Length > 0 ? args[0] : "claude-sonnet-4-5";
var question = args.Length > 1 ? args[1] : "How many people live in Oslo, and what is that number divided by 7?";

var chat = new OpenAIClient(
    new ApiKeyCredential(Environment.GetEnvironmentVariable("AGENTHOST_API_KEY") ?? "unused"),
    new OpenAIClientOptions { Endpoint = new Uri(baseUrl.TrimEnd('/') + "/v1") }).GetChatClient(model).AsIChatClient();
var data = Path.Combine(Environment.CurrentDirectory, "orchestrator-data");
Directory.CreateDirectory(data);
await using var services = new ServiceCollection()
    .AddAgentHostEngine()
    .AddAgentHostSqliteStore(Path.Combine(data, "sessions.db"))
    .AddAgentHostChatClient(chat)
    .AddCodeInterpreter(Path.Combine(data, "files"))
    .BuildServiceProvider();

Console.WriteLine($"{model} via {baseUrl}, in-process with sub-agents: {question}");
Console.WriteLine(await OrchestratorAgent.RunAsync(services.GetRequiredService<AgentRuntime>(), model, question, Console.Out));
