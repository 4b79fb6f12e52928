using Microsoft.Extensions.Options;

namespace AgentHost.Observability.RateLimits;

/// <summary>Checks <c>AgentHost:RateLimits</c> at start, saying how to fix what is wrong.</summary>
internal sealed class RateLimitOptionsValidator : IValidateOptions<RateLimitOptions>
{
    public ValidateOptionsResult Validate(string? name, RateLimitOptions options)
    {
        var errors = new List<string>();
        Check(errors, nameof(RateLimitOptions.Project), options.Project);
        Check(errors, nameof(RateLimitOptions.Key), options.Key);
        if (options.EstimatedOutputTokens <= 0)
        {
            errors.Add($"{RateLimitOptions.SectionName}:EstimatedOutputTokens is {options.EstimatedOutputTokens}; set a positive number of tokens (the default is 1024).");
        }

        if (options.ProjectLimitsCacheDuration < TimeSpan.Zero || options.ProjectLimitsCacheDuration > TimeSpan.FromMinutes(5))
        {
            errors.Add($"{RateLimitOptions.SectionName}:ProjectLimitsCacheDuration is {options.ProjectLimitsCacheDuration}; set it between 00:00:00 and 00:05:00 "
                + "(a project's new limits reach other nodes after at most this long).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Check(List<string> errors, string section, Dictionary<string, RateLimitSetting> models)
    {
        foreach (var (model, setting) in models)
        {
            var path = $"{RateLimitOptions.SectionName}:{section}:{model}";
            if (string.IsNullOrWhiteSpace(model) || model != model.Trim())
            {
                errors.Add($"{RateLimitOptions.SectionName}:{section} has an entry named '{model}'; name each entry after a model as clients ask for it (e.g. gpt-4o), or '*' for every other model.");
            }

            if (setting is null || (setting.RequestsPerMinute is null && setting.TokensPerMinute is null))
            {
                errors.Add($"{path} sets no limit; give it RequestsPerMinute and/or TokensPerMinute, or remove the entry.");
                continue;
            }

            if (setting.RequestsPerMinute < 0)
            {
                errors.Add($"{path}:RequestsPerMinute is {setting.RequestsPerMinute}; set a positive number of model calls per minute, or 0 for no limit.");
            }

            if (setting.TokensPerMinute < 0)
            {
                errors.Add($"{path}:TokensPerMinute is {setting.TokensPerMinute}; set a positive number of tokens per minute, or 0 for no limit.");
            }
        }
    }
}
