namespace AgentHost.Observability.Tracing;

/// <summary>
/// The model call in progress on this async flow. Providers report retries and fallbacks inline on the calling
/// flow (<see cref="AgentHost.Providers.IModelCallObserver"/>), so they land on the right call without ids.
/// </summary>
internal static class ModelCallContext
{
    private static readonly AsyncLocal<ModelCallRecorder?> CurrentCall = new();

    public static ModelCallRecorder? Current
    {
        get => CurrentCall.Value;
        set => CurrentCall.Value = value;
    }
}
