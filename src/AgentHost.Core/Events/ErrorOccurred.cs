namespace AgentHost.Core.Events;

/// <summary>
/// The run's event stream broke off with an error (<paramref name="Code"/>, <paramref name="Message"/>). Named so as
/// not to clash with <see cref="Domain.RunError"/>, the error a failed run records.
/// </summary>
public sealed record ErrorOccurred(string Code, string Message) : AgentEvent;
