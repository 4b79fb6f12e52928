namespace AgentHost.Core.Observability;

/// <summary>The front doors a model call can come through, as usage, traces and sessions name them.</summary>
public static class ModelCallEntryPoints
{
    /// <summary>An Assistants API run.</summary>
    public const string Assistants = "assistants";

    /// <summary>The Anthropic Messages endpoint, <c>/v1/messages</c>.</summary>
    public const string Messages = "messages";

    /// <summary>The OpenAI Chat Completions endpoint, <c>/v1/chat/completions</c>.</summary>
    public const string ChatCompletions = "chat_completions";

    /// <summary>The OpenAI Responses API, <c>/v1/responses</c>.</summary>
    public const string Responses = "responses";

    /// <summary>A turn of a Managed Agents session, <c>/v1/sessions</c>.</summary>
    public const string ManagedAgents = "managed_agents";

    /// <summary>The vector store search endpoint, <c>/v1/vector_stores/{id}/search</c> (its <c>llm</c> ranker).</summary>
    public const string VectorStoreSearch = "vector_store_search";

    /// <summary>A call that carried no scope (a direct use of the router).</summary>
    public const string Direct = "direct";
}
