using Microsoft.Extensions.Options;

namespace AgentHost.Server.Http.Safety;

/// <summary>Registers and applies the browser- and network-facing checks.</summary>
internal static class HttpSafetyServices
{
    private const string CorsPolicy = "AgentHost";

    public static IServiceCollection AddHttpSafety(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<HttpSafetyOptions>().Bind(configuration.GetSection(HttpSafetyOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<HttpSafetyOptions>, HttpSafetyOptionsValidator>();
        services.AddHostedService<HttpSafetyReport>();
        services.AddCors(cors => cors.AddPolicy(CorsPolicy, policy =>
        {
            var origins = configuration.GetSection($"{HttpSafetyOptions.SectionName}:CorsOrigins").Get<string[]>() ?? [];
            policy.WithOrigins(origins.Contains("*") ? [] : origins).AllowAnyHeader().AllowAnyMethod()
                .WithExposedHeaders("request-id", "x-request-id", "x-agenthost-overhead-ms", "openai-processing-ms");
            if (origins.Contains("*"))
            {
                policy.AllowAnyOrigin();
            }
        }));
        return services;
    }

    /// <summary>Host/Origin/Content-Type checks first, then CORS (answers preflights) when origins are configured.</summary>
    public static IApplicationBuilder UseHttpSafety(this IApplicationBuilder app)
    {
        app.UseRequestGuard();
        if (app.ApplicationServices.GetRequiredService<IOptions<HttpSafetyOptions>>().Value.CorsOrigins.Count > 0)
        {
            app.UseCors(CorsPolicy);
        }

        return app;
    }
}
