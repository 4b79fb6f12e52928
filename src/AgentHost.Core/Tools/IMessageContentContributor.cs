using AgentHost.Core.Domain;

namespace AgentHost.Core.Tools;

/// <summary>
/// Completes the assistant message a run writes from what the run's tools recorded: the code interpreter puts its
/// charts in as <c>image_file</c> parts and turns <c>sandbox:/mnt/data/…</c> links into <c>file_path</c> annotations;
/// file search turns citation markers into <c>file_citation</c> annotations. A built-in tool may implement it itself,
/// or it is registered in DI as <c>IMessageContentContributor</c>. Called only when the run has the tool enabled.
/// </summary>
public interface IMessageContentContributor
{
    /// <summary>The tool type this contributor belongs to.</summary>
    string Type { get; }

    /// <summary>The message's final content, given what the model wrote and the run's steps before this message.</summary>
    Task<IReadOnlyList<MessageContent>> CompleteContentAsync(ThreadRun run, IReadOnlyList<RunStep> steps, IReadOnlyList<MessageContent> content,
        CancellationToken cancellationToken);
}
