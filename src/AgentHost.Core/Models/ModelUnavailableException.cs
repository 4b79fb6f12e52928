namespace AgentHost.Core.Models;

/// <summary>The model is unknown, or its provider is not configured. The message tells the user how to fix it.</summary>
public sealed class ModelUnavailableException(string message) : Exception(message);
