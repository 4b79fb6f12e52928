using System.Runtime.CompilerServices;
using AgentHost.Core.Observability;
using AgentHost.Observability.Tracing;
using Microsoft.Extensions.AI;

namespace AgentHost.Observability;

/// <summary>
/// The observability layer of the model-call pipeline, above retries and fallback: every call is checked against
/// its budgets, then timed, priced, written to the usage ledger, counted in the metrics and traced — whichever
/// front door made it. The call's <see cref="ModelCallScope"/> says who it is for; it is taken off the options here,
/// so providers never see it.
/// </summary>
internal sealed class ObservedChatClient(IChatClient inner, string model, ModelCallRecording recording) : DelegatingChatClient(inner)
{
    private static readonly ModelCallScope Unscoped = new() { EntryPoint = ModelCallEntryPoints.Direct };

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var scope = ModelCallScope.Of(options) ?? Unscoped;
        var sent = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        var headroom = await CheckBudgetsAsync(scope, sent, options, cancellationToken);
        options = ModelCallScope.Detach(options);

        var call = new ModelCallRecorder(recording, scope, model, sent, options) { Headroom = headroom };
        ModelCallContext.Current = call;
        ChatResponse response;
        try
        {
            response = await base.GetResponseAsync(sent, options, cancellationToken);
        }
        catch (Exception e)
        {
            await call.EndAsync(Cancelled(e, cancellationToken) ? ModelCallStatuses.Cancelled : ModelCallStatuses.Error, e);
            throw;
        }

        call.Observe(response);
        await call.EndAsync(ModelCallStatuses.Ok, null);
        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var scope = ModelCallScope.Of(options) ?? Unscoped;
        var sent = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        var headroom = await CheckBudgetsAsync(scope, sent, options, cancellationToken);
        options = ModelCallScope.Detach(options);

        var call = new ModelCallRecorder(recording, scope, model, sent, options) { Headroom = headroom };
        var status = ModelCallStatuses.Cancelled;
        Exception? failure = null;
        var updates = base.GetStreamingResponseAsync(sent, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                // An async iterator's flow does not keep async-locals between the caller's MoveNextAsync calls.
                ModelCallContext.Current = call;
                try
                {
                    if (!await updates.MoveNextAsync())
                    {
                        status = ModelCallStatuses.Ok;
                        break;
                    }
                }
                catch (Exception e)
                {
                    failure = e;
                    status = Cancelled(e, cancellationToken) ? ModelCallStatuses.Cancelled : ModelCallStatuses.Error;
                    throw;
                }

                call.Observe(updates.Current);
                yield return updates.Current;
            }
        }
        finally
        {
            // Reached with status still "cancelled" when the caller stopped reading before the end.
            await updates.DisposeAsync();
            await call.EndAsync(status, failure);
        }
    }

    private async ValueTask<Budgets.BudgetHeadroom?> CheckBudgetsAsync(ModelCallScope scope, IReadOnlyList<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        try
        {
            return await recording.Budgets.CheckAsync(scope, recording.ApiKeyIdOf(scope), model, messages, options, cancellationToken);
        }
        catch (BudgetExceededException stop)
        {
            recording.BudgetStopped(scope, model, stop);
            throw;
        }
    }

    /// <summary>Whatever a call threw, once its caller cancelled it ended because the caller went away.</summary>
    private static bool Cancelled(Exception exception, CancellationToken cancellationToken) =>
        cancellationToken.IsCancellationRequested && exception is OperationCanceledException or Core.Models.ModelCallException;
}
