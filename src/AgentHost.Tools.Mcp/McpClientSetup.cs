using AgentHost.Core.Models;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace AgentHost.Tools.Mcp;

/// <summary>
/// What AgentHost tells each server it connects to, and how it answers the server's requests: sampling with
/// AgentHost's own model (<see cref="McpOptions.SamplingModel"/>, through the same model pipeline as runs, its answer
/// capped at <see cref="McpOptions.SamplingMaxTokens"/>); elicitation declined, as no one is there to answer it.
/// </summary>
public sealed partial class McpClientSetup(IOptions<McpOptions> options, IModelRouter models, ILogger<McpClientSetup> logger)
{
    private readonly McpOptions settings = options.Value;

    internal McpClientOptions ClientOptions(McpServerConnection connection)
    {
        var handlers = new McpClientHandlers
        {
            NotificationHandlers =
            [
                new(NotificationMethods.ToolListChangedNotification, (_, _) =>
                {
                    connection.ToolsChanged();
                    return ValueTask.CompletedTask;
                }),
            ],
            ElicitationHandler = (request, _) =>
            {
                LogElicitationDeclined(logger, connection.Label, request?.Message ?? string.Empty);
                return ValueTask.FromResult(new ElicitResult { Action = "decline" });
            },
        };

        // Sampling is deprecated by the 2026-07-28 specification (SEP-2577) but servers written for earlier revisions,
        // the reference servers among them, still ask for it; AgentHost answers them while the SDK still can.
#pragma warning disable MCP9005
        if (settings.SamplingModel is { Length: > 0 } model)
        {
            var sample = new CappedChatClient(models.GetClient(model), model, settings.SamplingMaxTokens).CreateSamplingHandler();
            handlers.SamplingHandler = async (request, progress, cancellationToken) =>
            {
                LogSampling(logger, connection.Label, model);
                return await sample(request, progress, cancellationToken);
            };
        }
#pragma warning restore MCP9005

        return new McpClientOptions
        {
            ClientInfo = new Implementation { Name = "AgentHost", Version = typeof(McpClientSetup).Assembly.GetName().Version?.ToString(3) ?? "1.0.0" },
            Handlers = handlers,
        };
    }

    /// <summary>Answers sampling with the configured model, whatever the server prefers, and never longer than the cap.</summary>
    private sealed class CappedChatClient(IChatClient inner, string model, int maxTokens) : DelegatingChatClient(inner)
    {
        public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            base.GetResponseAsync(messages, Cap(options), cancellationToken);

        public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
            CancellationToken cancellationToken = default) =>
            base.GetStreamingResponseAsync(messages, Cap(options), cancellationToken);

        private ChatOptions Cap(ChatOptions? options)
        {
            var capped = options?.Clone() ?? new ChatOptions();
            capped.ModelId = model;
            capped.MaxOutputTokens = Math.Min(capped.MaxOutputTokens ?? maxTokens, maxTokens);
            return capped;
        }
    }

    [LoggerMessage(EventId = 1220, Level = LogLevel.Information, Message = "MCP server '{Label}' asked for sampling; answered with {Model}")]
    private static partial void LogSampling(ILogger logger, string label, string model);

    [LoggerMessage(EventId = 1221, Level = LogLevel.Information, Message = "MCP server '{Label}' asked for input ('{Message}'); declined, as runs have no one to ask")]
    private static partial void LogElicitationDeclined(ILogger logger, string label, string message);
}
