using System.Reflection;

namespace AgentHost.Server.Observability.Console;

/// <summary>
/// Serves the web console at <c>/console</c>: plain HTML, CSS and JavaScript modules embedded in the server
/// assembly, so it works offline and needs no build step.
/// </summary>
internal static class ConsoleEndpoints
{
    private const string Prefix = "AgentHost.Server.Observability.Console.wwwroot.";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".svg"] = "image/svg+xml",
    };

    public static void MapConsole(this IEndpointRouteBuilder routes)
    {
        // Routing ignores a trailing slash, so "/console" and "/console/" both land here; relative URLs need the slash.
        routes.MapGet("/console", (HttpContext http) => http.Request.Path.Value!.EndsWith('/') ? Serve("index.html") : Results.Redirect("/console/"));
        routes.MapGet("/console/{*file}", (string? file) => Serve(string.IsNullOrEmpty(file) ? "index.html" : file));
    }

    private static IResult Serve(string file)
    {
        var extension = Path.GetExtension(file);
        if (file.Contains("..", StringComparison.Ordinal) || !ContentTypes.TryGetValue(extension, out var contentType))
        {
            return Results.NotFound();
        }

        var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(Prefix + file.Replace('/', '.'));
        return stream is null ? Results.NotFound() : Results.Stream(stream, contentType);
    }
}
