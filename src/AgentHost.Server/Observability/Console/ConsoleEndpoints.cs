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

    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
        + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static void MapConsole(this IEndpointRouteBuilder routes)
    {
        // Routing ignores a trailing slash, so "/console" and "/console/" both land here; relative URLs need the slash.
        routes.MapGet("/console", (HttpContext http) => http.Request.Path.Value!.EndsWith('/') ? Serve(http, "index.html") : Results.Redirect("/console/"));
        routes.MapGet("/console/{*file}", (HttpContext http, string? file) => Serve(http, string.IsNullOrEmpty(file) ? "index.html" : file));
    }

    private static IResult Serve(HttpContext http, string file)
    {
        // Scripts only from the console itself, never framed (clickjacking), no referrer leaking ids to other sites.
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XFrameOptions = "DENY";

        var extension = Path.GetExtension(file);
        if (file.Contains("..", StringComparison.Ordinal) || !ContentTypes.TryGetValue(extension, out var contentType))
        {
            return Results.NotFound();
        }

        var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(Prefix + file.Replace('/', '.'));
        return stream is null ? Results.NotFound() : Results.Stream(stream, contentType);
    }
}
