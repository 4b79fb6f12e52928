using System.Text.Json;
using AgentHost.Core.Containers;
using AgentHost.Core.Errors;
using AgentHost.Server.Http;

namespace AgentHost.Server.Containers;

/// <summary>
/// Reads a create-container body: <c>name</c> (required), <c>file_ids</c>, <c>expires_after</c>
/// (<c>last_active_at</c>, minutes), <c>memory_limit</c>; <c>network_policy</c> only <c>disabled</c> and <c>skills</c> only
/// empty, since the sandbox has no network and AgentHost has no skills.
/// </summary>
internal static class ContainerRequest
{
    public static NewContainer Read(JsonRequest request, ContainerOptions options)
    {
        request.Allow("name", "file_ids", "expires_after", "memory_limit", "network_policy", "skills");
        var name = request.RequiredString("name", 256);
        var fileIds = new List<string>();
        var index = 0;
        foreach (var element in request.Array("file_ids", options.MaxFiles) ?? [])
        {
            fileIds.Add(element.ValueKind == JsonValueKind.String
                ? element.GetString()!
                : throw request.WrongType($"file_ids[{index}]", "a string", element));
            index++;
        }

        int? minutes = null;
        if (request.Object("expires_after") is { } expiresAfter)
        {
            expiresAfter.Allow("anchor", "minutes");
            var anchor = expiresAfter.RequiredString("anchor");
            if (anchor != ContainerExpiresAfter.LastActiveAt)
            {
                throw expiresAfter.InvalidValue("anchor", $"'{anchor}' is not one of ['last_active_at'].");
            }

            minutes = expiresAfter.Integer("minutes", 1, options.MaxExpiryMinutes)
                ?? throw ApiException.Invalid($"Missing required parameter: '{expiresAfter.Name("minutes")}'.", expiresAfter.Name("minutes"), "missing_required_parameter");
        }

        var memoryLimit = request.String("memory_limit") ?? ContainerMemoryLimits.Default;
        if (!ContainerMemoryLimits.All.Contains(memoryLimit))
        {
            throw request.InvalidValue("memory_limit", $"'{memoryLimit}' is not one of ['1g', '4g', '16g', '64g'].");
        }

        if (request.Object("network_policy") is { } policy)
        {
            policy.Allow("type", "allowed_domains", "domain_secrets");
            var type = policy.RequiredString("type");
            if (type != ContainerNetworkPolicy.Disabled.Type)
            {
                throw policy.InvalidValue("type", type == "allowlist"
                    ? "'allowlist' is not supported: AgentHost's sandbox has no network access, so only 'disabled' can be honoured."
                    : $"'{type}' is not one of ['disabled', 'allowlist'].");
            }
        }

        if (request.Array("skills") is { } skills && skills.Any())
        {
            throw request.InvalidValue("skills", "skills are not supported by AgentHost; send an empty list or leave the field out.");
        }

        return new NewContainer { Name = name, FileIds = fileIds, ExpiryMinutes = minutes, MemoryLimit = memoryLimit };
    }
}
