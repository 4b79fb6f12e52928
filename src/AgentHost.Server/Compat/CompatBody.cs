using System.Text.Json;
using AgentHost.Core.Errors;

namespace AgentHost.Server.Compat;

/// <summary>Reads a compatible endpoint's JSON body; the document lives as long as the request, which owns it.</summary>
internal static class CompatBody
{
    public static async Task<JsonElement> ReadAsync(HttpContext context, CancellationToken cancellationToken)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(context.Request.Body, default, cancellationToken);
        }
        catch (JsonException e)
        {
            throw ApiException.Invalid($"The request body is not valid JSON: {e.Message}");
        }

        context.Response.RegisterForDispose(document);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw ApiException.Invalid("The request body must be a JSON object.");
        }

        Http.UnicodeCheck.RequireValidText(document.RootElement);
        return document.RootElement;
    }
}
