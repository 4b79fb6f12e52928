using AgentHost.Core.Retrieval;
using AgentHost.Retrieval.Embeddings;
using AgentHost.Retrieval.Persistence;
using AgentHost.Retrieval.Search;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Retrieval;

public static class RetrievalServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IVectorStoreIndex"/>. Needs a <c>SqliteDatabase</c> in the container (AddAgentHost adds it).
    /// Reads <c>AgentHost:Retrieval</c> and the embedding endpoints under <c>AgentHost:Embeddings:Models</c>.
    /// </summary>
    public static IServiceCollection AddRetrieval(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RetrievalOptions>().Configure(options =>
        {
            configuration.GetSection(RetrievalOptions.SectionName).Bind(options);
            foreach (var model in configuration.GetSection("AgentHost:Embeddings:Models").GetChildren())
            {
                var settings = new EmbeddingModelOptions();
                model.Bind(settings);
                options.Models[model.Key] = settings;
            }
        });
        services.AddSingleton<EmbeddingModels>();
        services.AddSingleton<ChunkRepository>();
        services.AddSingleton<LlmReranker>();
        services.AddSingleton<VectorStoreIndex>();
        services.AddSingleton<IVectorStoreIndex>(provider => provider.GetRequiredService<VectorStoreIndex>());
        services.AddHostedService<StoreWarmup>();
        return services;
    }
}
