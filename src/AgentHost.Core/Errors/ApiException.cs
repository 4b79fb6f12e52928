namespace AgentHost.Core.Errors;

/// <summary>
/// A request the API refuses. The HTTP surface turns it into the OpenAI error envelope;
/// <see cref="Kind"/> decides the status code.
/// </summary>
public sealed class ApiException(ApiErrorKind kind, string message, string? param = null, string? code = null) : Exception(message)
{
    public ApiErrorKind Kind { get; } = kind;
    public string? Param { get; } = param;
    public string? Code { get; } = code;

    public static ApiException NotFound(string what, string id, string? param = null) =>
        new(ApiErrorKind.NotFound, $"No {what} found with id '{id}'.", param);

    public static ApiException Invalid(string message, string? param = null, string? code = null) =>
        new(ApiErrorKind.InvalidRequest, message, param, code);
}

public enum ApiErrorKind
{
    InvalidRequest,
    NotFound,
    Unauthorized,
    Conflict,
    ServerError,
}
