using Microsoft.Extensions.AI;

namespace AgentHost.Providers.Tests.TestSupport;

internal static class WeatherTool
{
    public static readonly AIFunction Function = AIFunctionFactory.Create(
        (string city) => $"Sunny in {city}",
        "get_weather",
        "Gets the current weather in a city.");
}
