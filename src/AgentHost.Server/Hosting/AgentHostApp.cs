using Microsoft.Extensions.Logging.Console;

namespace AgentHost.Server.Hosting;

/// <summary>Builds the server; tests use it to run the real pipeline on a free port with their own overrides.</summary>
public static class AgentHostApp
{
    public const string DefaultUrl = "http://127.0.0.1:8080";

    // Configuration is read and validated once, at start. Reloading on change would watch the content root recursively,
    // and the data directory lies under it by default: every SQLite write would wake the watcher (measured in bench/).
    // A later --hostBuilder:reloadConfigOnChange=true on the command line turns reloading back on.
    private const string ReadConfigurationOnce = "--hostBuilder:reloadConfigOnChange=false";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder([ReadConfigurationOnce, .. args]);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        // Logging:Console:FormatterName=json writes one JSON object a line (the slim builder's console knows only plain text).
        if (string.Equals(builder.Configuration["Logging:Console:FormatterName"], ConsoleFormatterNames.Json, StringComparison.OrdinalIgnoreCase))
        {
            builder.Logging.AddJsonConsole();
        }

        builder.Services.AddAgentHost(builder.Configuration);
        builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, Http.ServerJsonContext.Default));
        configure?.Invoke(builder);
        var app = builder.Build();
        app.MapAgentHost();
        return app;
    }
}
