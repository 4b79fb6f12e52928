using Anthropic;
using InventoryAgent.Anthropic;

// AgentHost's address and the model to use; AgentHost routes any configured model (Claude, GPT, a local one).
var baseUrl = Environment.GetEnvironmentVariable("AGENTHOST_URL") ?? "http://127.0.0.1:8080";
var model = args.Length > 0 ? args[0] : "claude-sonnet-4-5";
var question = args.Length > 1 ? args[1] : "How many blue widgets and gadget minis do we have?";

var client = new AnthropicClient
{
    BaseUrl = baseUrl,
    ApiKey = Environment.GetEnvironmentVariable("AGENTHOST_API_KEY") ?? "unused",
};
Console.WriteLine($"{model} via {baseUrl}: {question}");
await InventoryAgent.Anthropic.InventoryAgent.RunAsync(client, model, question, Console.Out);
