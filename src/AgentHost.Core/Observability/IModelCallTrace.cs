namespace AgentHost.Core.Observability;

/// <summary>One model call being observed. Disposing it without <see cref="CompleteAsync"/> records a failure.</summary>
public interface IModelCallTrace : IAsyncDisposable
{
    /// <summary>The first streamed update arrived (time to first token).</summary>
    void FirstUpdate();

    /// <summary>The call finished with this completion.</summary>
    ValueTask CompleteAsync(ModelCallOutcome outcome);

    /// <summary>The call failed; <see cref="IAsyncDisposable.DisposeAsync"/> records it.</summary>
    void Fail(Exception exception);
}
