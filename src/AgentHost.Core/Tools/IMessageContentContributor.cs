using AgentHost.Core.Domain;

namespace AgentHost.Core.Tools;

/// <summary>
/// A built-in tool that adds to the assistant message written after its calls: the code interpreter puts its
/// charts in as <c>image_file</c> parts and turns <c>sandbox:/mnt/data/…</c> links into <c>file_path</c> annotations.
/// Called only when the run has the tool enabled.
/// </summary>
public interface IMessageContentContributor
{
    /// <summary>The tool type this contributor belongs to.</summary>
    string Type { get; }

    /// <summary>The message's final content, given what the model wrote and the run's steps before this message.</summary>
    Task<IReadOnlyList<MessageContent>> CompleteContentAsync(ThreadRun run, IReadOnlyList<RunStep> steps, IReadOnlyList<MessageContent> content,
        CancellationToken cancellationToken);
}
