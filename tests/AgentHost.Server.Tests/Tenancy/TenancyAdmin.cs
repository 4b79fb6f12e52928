using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using AgentHost.Server.Tests.Support;

namespace AgentHost.Server.Tests.Tenancy;

/// <summary>The Admin API over HTTP (the OpenAI .NET SDK has no client for it), with the admin key.</summary>
internal sealed class TenancyAdmin(AgentHostServer server) : IDisposable
{
    public const string AdminKey = "admin-0123456789abcdef0123456789abcdef";

    private readonly HttpClient http = Client(server, AdminKey);

    public static Dictionary<string, string?> Settings(string? apiKey = null) => new()
    {
        ["AgentHost:Auth:AdminKey"] = AdminKey,
        ["AgentHost:ApiKey"] = apiKey,
    };

    public static HttpClient Client(AgentHostServer server, string key)
    {
        var client = server.Http();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body = null) =>
        http.SendAsync(new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) });

    public async Task<JsonElement> JsonAsync(HttpMethod method, string path, object? body = null)
    {
        using var response = await SendAsync(method, path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task<string> CreateProjectAsync(string name) =>
        (await JsonAsync(HttpMethod.Post, "organization/projects", new { name })).GetProperty("id").GetString()!;

    /// <summary>Creates a service account in the project; returns its key's id and value (shown this once).</summary>
    public async Task<(string Id, string Value)> CreateKeyAsync(string projectId, string name = "ci")
    {
        var created = await JsonAsync(HttpMethod.Post, $"organization/projects/{projectId}/service_accounts", new { name });
        var key = created.GetProperty("api_key");
        return (key.GetProperty("id").GetString()!, key.GetProperty("value").GetString()!);
    }

    public void Dispose() => http.Dispose();
}
