using System.Diagnostics;
using System.Net.Sockets;

namespace AgentHost.Server.Tests.Support;

/// <summary>The server as a child process on a data dir, so a test can kill -9 it and start another on the same data.</summary>
internal sealed class ServerProcess : IDisposable
{
    private readonly Process process;

    private ServerProcess(Process process, int port)
    {
        this.process = process;
        BaseUri = new Uri($"http://127.0.0.1:{port}/v1/");
    }

    public Uri BaseUri { get; }

    /// <summary>The last lines the process wrote, and whether it exited, for a failing test's message.</summary>
    public string Describe() => $"{BaseUri} {(process.HasExited ? $"exited with {process.ExitCode}" : "running")}:\n" + string.Join('\n', output);

    private readonly System.Collections.Concurrent.ConcurrentQueue<string> output = new();

    /// <summary>The last 100 lines the process wrote to stdout and stderr.</summary>
    public IReadOnlyList<string> Lines => [.. output];

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        output.Enqueue(line);
        while (output.Count > 100)
        {
            output.TryDequeue(out _);
        }
    }

    public static async Task<ServerProcess> StartAsync(int port, string dataDir, params string[] settings)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])[Path.Combine(AppContext.BaseDirectory, "agenthost.dll"), $"--urls=http://127.0.0.1:{port}", $"--AgentHost:DataDir={dataDir}",
            "--AgentHost:Providers:OpenAI:ApiKey=sk-unused", "--AgentHost:Providers:OpenAI:BaseUrl=http://127.0.0.1:9/v1", "--Logging:LogLevel:Default=Warning", .. settings])
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info)!;
        var server = new ServerProcess(process, port);
        process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await server.WaitHealthyAsync();
        return server;
    }

    public HttpClient Http() => new() { BaseAddress = BaseUri, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>SIGKILL: no shutdown code runs, as when the machine dies.</summary>
    public async Task KillAsync()
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        process.Dispose();
    }

    private async Task WaitHealthyAsync()
    {
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(BaseUri, "/health"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }

            await Task.Delay(100);
        }
    }
}
