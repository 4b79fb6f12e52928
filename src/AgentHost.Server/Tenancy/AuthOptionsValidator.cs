using AgentHost.Core.Tenancy;
using AgentHost.Server.Hosting;
using Microsoft.Extensions.Options;

namespace AgentHost.Server.Tenancy;

/// <summary>Checks the keys at start, saying how to fix what is wrong.</summary>
internal sealed class AuthOptionsValidator : IValidateOptions<AgentHostOptions>
{
    public const int MinimumAdminKeyLength = 32;

    public ValidateOptionsResult Validate(string? name, AgentHostOptions options)
    {
        var errors = new List<string>();
        var admin = options.Auth.AdminKey;
        if (admin is not null && (admin.Length < MinimumAdminKeyLength || admin.Any(char.IsWhiteSpace)))
        {
            errors.Add($"AgentHost:Auth:AdminKey must be at least {MinimumAdminKeyLength} characters with no spaces; generate one with `openssl rand -hex 32`, or remove it to run without projects.");
        }

        if (admin is { Length: > 0 } && string.Equals(admin, options.ApiKey, StringComparison.Ordinal))
        {
            errors.Add("AgentHost:Auth:AdminKey and AgentHost:ApiKey are the same key; the admin key must differ from the default project's key — generate a new one with `openssl rand -hex 32`.");
        }

        if (options.ApiKey is { } key && key.StartsWith(ProjectKeyValues.Prefix, StringComparison.Ordinal))
        {
            errors.Add($"AgentHost:ApiKey starts with '{ProjectKeyValues.Prefix}', which marks keys AgentHost creates for projects; choose another key.");
        }

        if (options.Auth.KeyCacheDuration < TimeSpan.Zero || options.Auth.KeyCacheDuration > TimeSpan.FromMinutes(5))
        {
            errors.Add($"AgentHost:Auth:KeyCacheDuration is {options.Auth.KeyCacheDuration}; set it between 00:00:00 and 00:05:00 (a deleted key is refused by other nodes after at most this long).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
