using AgentHost.Core.Domain;
using AgentHost.Core.Models;

namespace AgentHost.Core.Engine;

/// <summary>The <c>last_error</c> a run records for an exception that ended its execution.</summary>
public static class RunFailures
{
    /// <summary>The model's own error code for model call failures; <c>server_error</c> with the message otherwise.</summary>
    public static RunError ErrorOf(Exception exception) => exception switch
    {
        ModelCallException call => new RunError(call.Code, call.Message),
        ModelUnavailableException unavailable => new RunError(RunErrorCodes.ServerError, unavailable.Message),
        _ => new RunError(RunErrorCodes.ServerError, "AgentHost failed while executing the run: " + exception.Message),
    };

    /// <summary>True for failures of AgentHost itself (worth logging), false for the model's or its configuration's.</summary>
    public static bool IsInternal(Exception exception) => exception is not (ModelCallException or ModelUnavailableException);
}
