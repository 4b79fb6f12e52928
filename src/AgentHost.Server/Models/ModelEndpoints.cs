using System.Text.Json;
using AgentHost.Core.Models;
using AgentHost.Server.AnthropicApi;
using AgentHost.Server.Compat;
using AgentHost.Server.Http;

namespace AgentHost.Server.Models;

/// <summary>
/// <c>GET /v1/models</c> and <c>GET /v1/models/{id}</c>: the configured models and aliases, in Anthropic's shape for
/// Anthropic clients (an <c>anthropic-version</c> or <c>x-api-key</c> header) and in OpenAI's otherwise.
/// </summary>
internal static class ModelEndpoints
{
    // Listed models have no creation date of their own; a fixed one keeps listings stable.
    private static readonly DateTimeOffset Listed = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static IEndpointRouteBuilder MapModelEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/models", ListAsync);
        app.MapGet("/v1/models/{id}", GetAsync);
        return app;
    }

    private static bool IsAnthropic(HttpContext context) =>
        context.Request.Headers.ContainsKey("anthropic-version") || context.Request.Headers.ContainsKey("x-api-key");

    private static async Task ListAsync(HttpContext context, IModelRouter router)
    {
        var anthropic = IsAnthropic(context);
        if (anthropic)
        {
            AnthropicErrors.RequestId(context);
        }

        var models = router.KnownModels;
        await WriteAsync(context, writer =>
        {
            writer.WriteStartObject();
            if (!anthropic)
            {
                writer.WriteString("object", "list");
            }

            writer.WriteStartArray("data");
            foreach (var model in models)
            {
                WriteModel(writer, model, anthropic);
            }

            writer.WriteEndArray();
            if (anthropic)
            {
                writer.WriteBoolean("has_more", false);
                WriteNullableString(writer, "first_id", models.Count > 0 ? models[0] : null);
                WriteNullableString(writer, "last_id", models.Count > 0 ? models[^1] : null);
            }

            writer.WriteEndObject();
        });
    }

    private static async Task GetAsync(HttpContext context, IModelRouter router, string id)
    {
        var anthropic = IsAnthropic(context);
        if (!router.KnownModels.Contains(id, StringComparer.OrdinalIgnoreCase))
        {
            if (anthropic)
            {
                await AnthropicErrors.WriteAsync(context, new CallFailure(FailureKind.NotFound, $"model: {id}"));
                return;
            }

            await ApiErrors.Result(StatusCodes.Status404NotFound, "invalid_request_error", $"The model '{id}' does not exist", "model", "model_not_found").ExecuteAsync(context);
            return;
        }

        if (anthropic)
        {
            AnthropicErrors.RequestId(context);
        }

        await WriteAsync(context, writer => WriteModel(writer, id, anthropic));
    }

    private static void WriteModel(Utf8JsonWriter writer, string id, bool anthropic)
    {
        writer.WriteStartObject();
        if (anthropic)
        {
            writer.WriteString("type", "model");
            writer.WriteString("id", id);
            writer.WriteString("display_name", id);
            writer.WriteString("created_at", Listed);
        }
        else
        {
            writer.WriteString("id", id);
            writer.WriteString("object", "model");
            writer.WriteNumber("created", Listed.ToUnixTimeSeconds());
            writer.WriteString("owned_by", "agenthost");
        }

        writer.WriteEndObject();
    }

    private static void WriteNullableString(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    private static async Task WriteAsync(HttpContext context, Action<Utf8JsonWriter> write)
    {
        context.Response.ContentType = "application/json";
        using (var writer = new Utf8JsonWriter(context.Response.BodyWriter))
        {
            write(writer);
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }
}
