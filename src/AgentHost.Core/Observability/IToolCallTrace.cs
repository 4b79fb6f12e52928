namespace AgentHost.Core.Observability;

/// <summary>One built-in tool call being observed. Disposing it without <see cref="CompleteAsync"/> records a failure.</summary>
public interface IToolCallTrace : IAsyncDisposable
{
    /// <summary>The tool returned <paramref name="output"/> (what the model reads back).</summary>
    ValueTask CompleteAsync(string output);

    /// <summary>The tool threw; <see cref="IAsyncDisposable.DisposeAsync"/> records it.</summary>
    void Fail(Exception exception);
}
