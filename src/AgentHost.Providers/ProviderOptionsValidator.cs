using AgentHost.Providers.Routing;
using Microsoft.Extensions.Options;

namespace AgentHost.Providers;

/// <summary>Checks <see cref="ProviderOptions"/> at startup, with messages that say which key to fix and how.</summary>
internal sealed class ProviderOptionsValidator : IValidateOptions<ProviderOptions>
{
    private const string Section = ProviderOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, ProviderOptions options)
    {
        var errors = new List<string>();
        ValidateRetry(options.Retry, errors);
        if (options.Anthropic.DefaultMaxTokens <= 0)
        {
            errors.Add($"{Section}:Anthropic:DefaultMaxTokens must be positive (Anthropic requires max_tokens); it is {options.Anthropic.DefaultMaxTokens}.");
        }

        ValidateUrl(options.Anthropic.BaseUrl, $"{Section}:Anthropic:BaseUrl (or ANTHROPIC_BASE_URL)", required: false, errors);
        ValidateUrl(options.OpenAI.BaseUrl, $"{Section}:OpenAI:BaseUrl (or OPENAI_BASE_URL)", required: false, errors);
        foreach (var (serverName, server) in options.Servers)
        {
            if (ProviderNames.IsBuiltIn(serverName))
            {
                errors.Add($"{Section}:Servers:{serverName} clashes with the built-in provider of that name; rename the server.");
            }

            ValidateUrl(server.BaseUrl, $"{Section}:Servers:{serverName}:BaseUrl", required: true, errors);
            if (server.MaxOutputTokens is <= 0)
            {
                errors.Add($"{Section}:Servers:{serverName}:MaxOutputTokens must be positive; it is {server.MaxOutputTokens}.");
            }
        }

        foreach (var (prefix, limit) in options.MaxOutputTokens)
        {
            if (limit <= 0)
            {
                errors.Add($"{Section}:MaxOutputTokens:{prefix} must be positive; it is {limit}.");
            }
        }

        foreach (var (alias, target) in options.Aliases)
        {
            if (string.IsNullOrWhiteSpace(target))
            {
                errors.Add($"{Section}:Aliases:{alias} is empty; set it to the model that serves '{alias}', e.g. claude-sonnet-4-5 or ollama:llama3.1.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateRetry(RetryOptions retry, List<string> errors)
    {
        if (retry.MaxAttempts < 1)
        {
            errors.Add($"{Section}:Retry:MaxAttempts must be at least 1 (1 disables retries); it is {retry.MaxAttempts}.");
        }

        if (retry.BaseDelay < TimeSpan.Zero || retry.MaxDelay < retry.BaseDelay)
        {
            errors.Add($"{Section}:Retry needs 0 <= BaseDelay <= MaxDelay; they are {retry.BaseDelay} and {retry.MaxDelay}.");
        }

        if (retry.AttemptTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{Section}:Retry:AttemptTimeout must be positive, e.g. 00:05:00; it is {retry.AttemptTimeout}.");
        }
    }

    private static void ValidateUrl(string? url, string key, bool required, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            if (required)
            {
                errors.Add($"{key} is required, e.g. http://localhost:11434/v1 for Ollama.");
            }

            return;
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add($"{key} must be an absolute http(s) URL; it is '{url}'.");
        }
    }
}
