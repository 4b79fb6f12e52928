using Microsoft.Extensions.AI;

namespace AgentHost.Server.Compat;

/// <summary>Pumps the routed model's streamed answer into an API's stream writer.</summary>
internal static class CompatStreaming
{
    public static async Task StreamAsync(IChatClient client, CompatCall call, ICompatStreamWriter stream, GatewayOverhead overhead, CancellationToken cancellationToken)
    {
        // The first update is awaited before the 200 goes out, so a model that cannot be reached (after retries and
        // fallback) is answered with its real status rather than an error event.
        overhead.UpstreamStarted();
        await using var updates = client.GetStreamingResponseAsync(call.Messages, call.Options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        var hasUpdate = await updates.MoveNextAsync();
        overhead.UpstreamEnded();
        stream.Start(hasUpdate ? updates.Current : new ChatResponseUpdate());
        try
        {
            while (hasUpdate)
            {
                stream.Write(updates.Current);

                // Updates that are already buffered go out in one write: a flush per update costs a syscall each.
                var next = updates.MoveNextAsync();
                if (!next.IsCompleted)
                {
                    await stream.FlushAsync(cancellationToken);
                }

                hasUpdate = await next;
            }

            await stream.EndAsync(cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && CallFailure.From(e) is { } failure)
        {
            await stream.FailAsync(failure, cancellationToken);
        }
    }
}
