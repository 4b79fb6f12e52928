using AgentHost.Core.Files;
using AgentHost.Core.FileSearch;
using AgentHost.Core.Tools;
using AgentHost.Core.VectorStores;
using AgentHost.Ingestion;
using AgentHost.Server.Files;
using AgentHost.Server.VectorStores;
using AgentHost.Server.Uploads;
using Microsoft.Extensions.Options;

namespace AgentHost.Server.Hosting;

/// <summary>Files, uploads, vector stores, their ingestion and the <c>file_search</c> tool.</summary>
public static class FileSearchHosting
{
    public static IServiceCollection AddFileSearch(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FileLimits>().Bind(configuration.GetSection("AgentHost:Files"));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<FileLimits>>().Value);
        services.AddHostedService<Uploads.UploadSweeper>();
        services.AddOptions<FileSearchOptions>().Bind(configuration.GetSection("AgentHost:FileSearch"));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<FileSearchOptions>>().Value);
        services.AddOptions<ExtractionLimits>().Bind(configuration.GetSection(ExtractionLimits.SectionName));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ExtractionLimits>>().Value);
        services.AddSingleton<ITextExtractor, DocumentTextExtractor>();
        services.AddSingleton<IngestionSignal>();
        services.AddSingleton<VectorStoreSearch>();
        services.AddHostedService<IngestionWorker>();
        services.AddSingleton<ThreadAttachmentStore>();
        services.AddSingleton<VectorStoreService>();
        services.AddSingleton<IToolSource, FileSearchTool>();
        services.AddSingleton<IMessageContentContributor, FileSearchCitations>();
        return services;
    }

    public static WebApplication MapFileSearchEndpoints(this WebApplication app)
    {
        app.MapFileEndpoints();
        app.MapUploadEndpoints();
        app.MapVectorStoreEndpoints();
        return app;
    }
}
