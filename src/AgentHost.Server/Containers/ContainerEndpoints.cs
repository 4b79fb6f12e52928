using AgentHost.Core.Containers;
using AgentHost.Core.Json;
using AgentHost.Server.Http;

namespace AgentHost.Server.Containers;

/// <summary><c>/v1/containers</c>: create, list, retrieve, delete.</summary>
internal static class ContainerEndpoints
{
    public static void MapContainerEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/containers");
        group.MapPost("", CreateAsync);
        group.MapGet("", ListAsync);
        group.MapGet("/{containerId}", GetAsync);
        group.MapDelete("/{containerId}", DeleteAsync);
        group.MapContainerFileEndpoints();
    }

    private static async Task<IResult> CreateAsync(HttpRequest http, ContainerService containers, ContainerOptions options, CancellationToken cancellationToken)
    {
        var request = await JsonRequest.ReadAsync(http, cancellationToken);
        var container = await containers.CreateAsync(ContainerRequest.Read(request, options), cancellationToken);
        return Json(container);
    }

    private static async Task<IResult> ListAsync(HttpRequest http, ContainerService containers, CancellationToken cancellationToken)
    {
        var name = http.Query["name"].ToString();
        var page = await containers.ListAsync(name.Length == 0 ? null : name, ListQueryReader.Read(http), cancellationToken);
        return TypedResults.Json(ListResponse<Container>.From(page, c => c.Id), ServerJsonContext.Default.ListResponseContainer);
    }

    private static async Task<IResult> GetAsync(string containerId, ContainerService containers, CancellationToken cancellationToken) =>
        Json(await containers.GetAsync(containerId, cancellationToken));

    private static async Task<IResult> DeleteAsync(string containerId, ContainerService containers, CancellationToken cancellationToken)
    {
        await containers.DeleteAsync(containerId, cancellationToken);
        return TypedResults.Json(new ContainerDeletionStatus(containerId, "container.deleted", true), ContainerJsonContext.Default.ContainerDeletionStatus);
    }

    private static IResult Json(Container container) => TypedResults.Json(container, ContainerJsonContext.Default.Container);
}
