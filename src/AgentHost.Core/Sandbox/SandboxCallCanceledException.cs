namespace AgentHost.Core.Sandbox;

/// <summary>
/// A cell stopped because its caller cancelled it, with what it did before it stopped (files it wrote or removed), so
/// an owner that keeps the session's files (a container) still records them.
/// </summary>
public sealed class SandboxCallCanceledException(SandboxResult result, CancellationToken cancellationToken)
    : OperationCanceledException("The sandbox call was cancelled.", cancellationToken)
{
    /// <summary>The interrupted call's output and files, as far as it got.</summary>
    public SandboxResult Result { get; } = result;
}
