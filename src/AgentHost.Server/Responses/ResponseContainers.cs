using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Core.Containers;
using AgentHost.Core.Domain;
using AgentHost.Core.Files;
using AgentHost.Core.Tools.CodeInterpreter;

namespace AgentHost.Server.Responses;

/// <summary>
/// Picks the container a response's <c>code_interpreter</c> runs in, when the response is created (so its calls and
/// stream name it from the start): a container given by id (404 when unknown, 400 when expired); for <c>auto</c>, the
/// running container of the latest <c>code_interpreter_call</c> in the response's context — so a chain or conversation
/// keeps its Python state and files — with any of <c>file_ids</c> it lacks copied in, else a new container.
/// </summary>
internal sealed class ResponseContainers(ContainerService containers, IFileStore files, ResponseRecords records)
{
    /// <summary>
    /// The tools with the container of the <c>code_interpreter</c> tool, if any, set for the engine; the container is also
    /// noted in <paramref name="creation"/>'s settings for the stream and the output items.
    /// </summary>
    public async Task<IReadOnlyList<ToolDefinition>> ResolveAsync(ResponseCreation creation, CancellationToken cancellationToken)
    {
        var index = creation.Tools.ToList().FindIndex(t => t.Type == ToolTypes.CodeInterpreter);
        if (index < 0)
        {
            return creation.Tools;
        }

        var definition = creation.Tools[index];
        var reference = ResponseCodeInterpreter.Reference(definition);
        var container = reference.Id is null && await ReusableAsync(creation, cancellationToken) is { } reused
            ? await WithFilesAsync(reused, reference.FileIds, cancellationToken)
            : await containers.ResolveAsync(reference, cancellationToken);

        var settings = new Dictionary<string, JsonElement>(definition.Settings ?? [], StringComparer.Ordinal)
        {
            [ContainerCodeInterpreter.ContainerIdSetting] = JsonSerializer.SerializeToElement<JsonNode?>(JsonValue.Create(container.Id), ResponsesJsonContext.Default.JsonNode),
        };
        creation.Settings[ResponseCodeInterpreter.ResolvedContainerKey] = container.Id;
        var tools = creation.Tools.ToList();
        tools[index] = new ToolDefinition { Type = definition.Type, Settings = settings };
        return tools;
    }

    /// <summary>The running container of the latest code interpreter call the response continues from, if any.</summary>
    private async Task<Container?> ReusableAsync(ResponseCreation creation, CancellationToken cancellationToken)
    {
        var context = creation.PreviousResponseId is null && creation.ConversationId is null
            ? []
            : await records.ItemsBeforeAsync(creation.PreviousResponseId, creation.ConversationId, cancellationToken);
        foreach (var item in Enumerable.Reverse([.. context, .. creation.Input]))
        {
            if ((string?)item["type"] == "code_interpreter_call" && (string?)item["container_id"] is { } id)
            {
                try
                {
                    return await containers.GetAsync(id, cancellationToken) is { Status: Container.Running } running ? running : null;
                }
                catch (Core.Errors.ApiException)
                {
                    return null; // deleted since
                }
            }
        }

        return null;
    }

    /// <summary>Copies into a reused container the files of <paramref name="fileIds"/> it does not hold yet (by name in <c>/mnt/data</c>).</summary>
    private async Task<Container> WithFilesAsync(Container container, IReadOnlyList<string> fileIds, CancellationToken cancellationToken)
    {
        foreach (var fileId in fileIds.Distinct(StringComparer.Ordinal))
        {
            var file = await files.GetAsync(fileId, cancellationToken) ?? throw Core.Errors.ApiException.NotFound("file", fileId, "file_ids");
            if (await containers.FileAtPathAsync(container.Id, ContainerPaths.DataRoot + Path.GetFileName(file.Filename), cancellationToken) is null)
            {
                await containers.AddStoredFileAsync(container.Id, fileId, cancellationToken);
            }
        }

        return container;
    }
}
