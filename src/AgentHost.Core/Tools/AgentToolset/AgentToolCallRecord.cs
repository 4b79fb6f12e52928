using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Core.Domain;
using AgentHost.Core.Engine;
using Microsoft.Extensions.AI;

namespace AgentHost.Core.Tools.AgentToolset;

/// <summary>
/// A call of the agent toolset as its step records it (under <c>"agent_toolset_20260401"</c>): the tool and the
/// arguments the model sent, the workspace container, and what the model read back.
/// </summary>
public sealed record AgentToolCallRecord
{
    /// <summary>The tool's name (<c>bash</c>, <c>read</c>, …).</summary>
    public required string Name { get; init; }

    /// <summary>The arguments as the model sent them, as JSON text.</summary>
    public required string Arguments { get; init; }

    public string? ContainerId { get; init; }

    /// <summary>The text the model reads: a command's output, a file's numbered lines, or what went wrong.</summary>
    public required string Output { get; init; }

    public bool IsError { get; init; }

    /// <summary>Images the call returned, shown to the model after <see cref="Output"/>.</summary>
    public IReadOnlyList<AgentToolImage> Images { get; init; } = [];

    /// <summary>A <c>bash</c> command's exit status, when it ended by itself.</summary>
    public int? ExitCode { get; init; }

    /// <summary>True when a <c>bash</c> command was killed at its timeout (and the shell restarted).</summary>
    public bool TimedOut { get; init; }

    /// <summary>True when the output was cut (a command's long output, a glob or grep past its cap).</summary>
    public bool Truncated { get; init; }

    public StepToolCall ToStepCall(string callId)
    {
        var details = new JsonObject
        {
            ["name"] = Name,
            ["arguments"] = Arguments,
            ["container_id"] = ContainerId,
            ["output"] = Output,
            ["is_error"] = IsError,
        };
        if (Images.Count > 0)
        {
            details["images"] = new JsonArray([.. Images.Select(i => (JsonNode)new JsonObject { ["media_type"] = i.MediaType, ["data"] = i.Data })]);
        }

        if (ExitCode is { } code)
        {
            details["exit_code"] = code;
        }

        if (TimedOut)
        {
            details["timed_out"] = true;
        }

        if (Truncated)
        {
            details["truncated"] = true;
        }

        return new StepToolCall
        {
            Id = callId,
            Type = AgentToolsetConfig.Type,
            Details = JsonSerializer.SerializeToElement(details, EngineJsonContext.Default.JsonObject),
        };
    }

    /// <summary>The record a step call holds, or null when it holds none (a call the engine itself recorded).</summary>
    public static AgentToolCallRecord? From(StepToolCall call)
    {
        if (call.Details is not { ValueKind: JsonValueKind.Object } details || String(details, "name") is not { } name)
        {
            return null;
        }

        var images = new List<AgentToolImage>();
        if (details.TryGetProperty("images", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var image in list.EnumerateArray())
            {
                if (String(image, "media_type") is { } type && String(image, "data") is { } data)
                {
                    images.Add(new AgentToolImage(type, data));
                }
            }
        }

        return new AgentToolCallRecord
        {
            Name = name,
            Arguments = String(details, "arguments") ?? "{}",
            ContainerId = String(details, "container_id"),
            Output = String(details, "output") ?? string.Empty,
            IsError = details.TryGetProperty("is_error", out var isError) && isError.ValueKind == JsonValueKind.True,
            Images = images,
            ExitCode = details.TryGetProperty("exit_code", out var code) && code.ValueKind == JsonValueKind.Number ? code.GetInt32() : null,
            TimedOut = details.TryGetProperty("timed_out", out var timedOut) && timedOut.ValueKind == JsonValueKind.True,
            Truncated = details.TryGetProperty("truncated", out var truncated) && truncated.ValueKind == JsonValueKind.True,
        };
    }

    /// <summary>The call as the model saw it.</summary>
    public ToolCallView ToView() => new(Name, Arguments, Output)
    {
        IsError = IsError,
        Media = [.. Images.Select(i => (AIContent)new DataContent(Convert.FromBase64String(i.Data), i.MediaType))],
    };

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
