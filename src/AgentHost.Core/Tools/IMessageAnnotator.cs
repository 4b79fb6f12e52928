using System.Text.Json;
using AgentHost.Core.Domain;

namespace AgentHost.Core.Tools;

/// <summary>
/// Adds annotations to the text an assistant wrote in a run, from what the run's tools recorded (e.g. file search
/// citations). Registered in DI as <c>IEnumerable&lt;IMessageAnnotator&gt;</c>; the run executor calls each one.
/// </summary>
public interface IMessageAnnotator
{
    /// <param name="text">The message text as the model wrote it.</param>
    /// <param name="steps">The run's steps so far, oldest first.</param>
    IReadOnlyList<JsonElement> Annotate(string text, IReadOnlyList<RunStep> steps);
}
