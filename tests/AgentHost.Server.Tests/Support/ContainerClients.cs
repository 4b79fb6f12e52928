using System.ClientModel;
using System.Net.Http.Headers;
using System.Text.Json;
using OpenAI.Containers;

namespace AgentHost.Server.Tests.Support;

/// <summary>The official SDK's container client pointed at a test server, and the multipart upload it leaves to raw HTTP.</summary>
internal static class ContainerClients
{
    public static ContainerClient Containers(this AgentHostServer server) =>
        new(new ApiKeyCredential("any"), new ContainerClientOptions { Endpoint = server.BaseUri, NetworkTimeout = TimeSpan.FromSeconds(30) });

    /// <summary>Uploads <paramref name="bytes"/> as <c>file</c> (the SDK's upload takes a hand-built multipart body).</summary>
    public static async Task<JsonElement> UploadContainerFileAsync(this AgentHostServer server, string containerId, string filename, byte[] bytes)
    {
        using var http = server.Http();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var form = new MultipartFormDataContent { { file, "file", filename } };
        using var response = await http.PostAsync($"containers/{containerId}/files", form);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
