using AgentHost.Server.Hosting;
using Microsoft.Extensions.Options;

namespace AgentHost.Server.Http.Safety;

/// <summary>Says at start when AgentHost runs without an API key, and on which addresses.</summary>
internal sealed partial class HttpSafetyReport(IConfiguration configuration, IOptions<AgentHostOptions> host, IOptions<HttpSafetyOptions> safety, ILogger<HttpSafetyReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(host.Value.ApiKey) && string.IsNullOrEmpty(host.Value.Auth.AdminKey))
        {
            var urls = string.Join(", ", HttpSafetyOptionsValidator.ListenUrls(configuration));
            if (safety.Value.AllowRemoteWithoutKey)
            {
                LogOpenToNetwork(logger, urls);
            }
            else
            {
                LogNoKey(logger, urls);
            }
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "No API key is set (AgentHost:ApiKey or AGENTHOST_API_KEY): every program on this machine can use AgentHost at {Urls} and its provider keys")]
    private static partial void LogNoKey(ILogger logger, string urls);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "No API key is set and AgentHost:Http:AllowRemoteWithoutKey is true: anyone who can reach {Urls} can use AgentHost and its provider keys")]
    private static partial void LogOpenToNetwork(ILogger logger, string urls);
}
