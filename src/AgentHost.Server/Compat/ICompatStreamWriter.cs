using Microsoft.Extensions.AI;

namespace AgentHost.Server.Compat;

/// <summary>Writes one compatible API's streamed answer from the chat client's updates (see <see cref="CompatStreaming"/>).</summary>
internal interface ICompatStreamWriter
{
    /// <summary>Sends the 200 and the stream's opening, from the first update (empty when the model said nothing).</summary>
    void Start(ChatResponseUpdate first);

    void Write(ChatResponseUpdate update);

    /// <summary>Sends what is buffered.</summary>
    Task FlushAsync(CancellationToken cancellationToken);

    Task EndAsync(CancellationToken cancellationToken);

    /// <summary>A failure after the 200 went out can only be reported in the stream, in the API's own way.</summary>
    Task FailAsync(CallFailure failure, CancellationToken cancellationToken);
}
