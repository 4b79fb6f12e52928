using AgentHost.Storage.Postgres;
using Microsoft.Extensions.Options;

namespace AgentHost.Server.Responses;

/// <summary>
/// At start on PostgreSQL, refuses to run with a reasoning key other than the one the nodes sharing the database use:
/// reasoning sealed by one node must open on every other.
/// </summary>
internal sealed class ReasoningKeyCheck(ReasoningSeal seal, PostgresClusterSettings settings, IOptions<Hosting.AgentHostOptions> options) : IHostedService
{
    private const string Setting = "reasoning_key_fingerprint";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var mine = seal.Fingerprint();
        var shared = await settings.AgreeAsync(Setting, mine, cancellationToken);
        if (shared != mine)
        {
            throw new InvalidOperationException(
                $"This node's reasoning key (fingerprint {mine}) is not the one the other nodes sharing this database use ({shared}), so "
                + "reasoning they sealed would not open here. Set AgentHost:ReasoningKey to the same value on every node, or copy the "
                + $"first node's reasoning.key into {options.Value.DataDir}.");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
