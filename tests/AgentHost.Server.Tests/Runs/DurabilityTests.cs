using System.Diagnostics;
using System.Net.Sockets;
using AgentHost.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using OpenAI.Assistants;

namespace AgentHost.Server.Tests.Runs;

public sealed class DurabilityTests
{
    [Fact]
    public async Task ServerKilledMidRun_RunResumesAfterRestartAndNoMessageIsLost()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        var gate = new TaskCompletionSource();
        upstream.Enqueue(new ScriptedTurn { Text = "lost with the process", Gate = gate }, ScriptedTurn.Say("Answer after restart."));
        var dataDir = Directory.CreateTempSubdirectory("agenthost-kill-").FullName;
        var port = FreePort();
        var client = new AssistantClient(new System.ClientModel.ApiKeyCredential("k"), new AssistantClientOptions { Endpoint = new Uri($"http://127.0.0.1:{port}/v1") });

        using (var first = StartServerProcess(port, dataDir, upstream.BaseUrl))
        {
            await WaitHealthyAsync(port);
            Assistant assistant = await client.CreateAssistantAsync("gpt-4o");
            ThreadRun started = await client.CreateThreadAndRunAsync(assistant.Id, new ThreadCreationOptions { InitialMessages = { "Do not lose me." } });
            await client.WaitAsync(started, r => r.Status == RunStatus.InProgress);
            while (upstream.Requests.IsEmpty)
            {
                await Task.Delay(20);
            }

            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
            gate.TrySetCanceled();

            using var second = StartServerProcess(port, dataDir, upstream.BaseUrl);
            try
            {
                await WaitHealthyAsync(port);
                var run = await client.WaitAsync((await client.GetRunAsync(started.ThreadId, started.Id)).Value);

                Assert.Equal(RunStatus.Completed, run.Status);
                var messages = await client.GetMessagesAsync(run.ThreadId, new MessageCollectionOptions { Order = MessageCollectionOrder.Ascending }).ToListAsync();
                Assert.Equal(["Do not lose me.", "Answer after restart."], messages.Select(m => m.Content[0].Text));
                Assert.Equal(2, upstream.Requests.Count);
            }
            finally
            {
                second.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public async Task RequiresAction_PastExpiresAt_ExpiresAndRefusesToolOutputs()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await AgentHostServer.StartAsync(b => b.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)));
        server.Upstream.Enqueue(ScriptedTurn.Call(("call_1", "f", "{}")));
        var client = server.Assistants();
        Assistant assistant = await client.CreateAssistantAsync("gpt-4o", new AssistantCreationOptions { Tools = { new FunctionToolDefinition("f") } });
        ThreadRun run = await client.WaitAsync(await client.CreateThreadAndRunAsync(assistant.Id, new ThreadCreationOptions { InitialMessages = { "go" } }));
        Assert.Equal(RunStatus.RequiresAction, run.Status);
        Assert.InRange(run.ExpiresAt!.Value.ToUnixTimeSeconds() - run.CreatedAt.ToUnixTimeSeconds(), 599, 601);

        clock.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        ThreadRun expired = await client.GetRunAsync(run.ThreadId, run.Id);
        var refused = await Assert.ThrowsAsync<System.ClientModel.ClientResultException>(() =>
            client.SubmitToolOutputsToRunAsync(run.ThreadId, run.Id, [new ToolOutput("call_1", "late")]));

        Assert.Equal(RunStatus.Expired, expired.Status);
        Assert.Equal(400, refused.Status);
        var step = Assert.Single(await client.GetRunStepsAsync(run.ThreadId, run.Id).ToListAsync());
        Assert.Equal(RunStepStatus.Expired, step.Status);
    }

    private static Process StartServerProcess(int port, string dataDir, string upstreamBaseUrl)
    {
        var server = Path.Combine(AppContext.BaseDirectory, "agenthost.dll");
        var info = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                server, $"--urls=http://127.0.0.1:{port}", $"--AgentHost:DataDir={dataDir}",
                "--AgentHost:Providers:OpenAI:ApiKey=sk-scripted", $"--AgentHost:Providers:OpenAI:BaseUrl={upstreamBaseUrl}",
                "--AgentHost:Providers:Retry:MaxAttempts=1", "--AgentHost:Runs:LeaseDuration=00:00:01", "--AgentHost:Runs:SweepInterval=00:00:00.200",
                "--Logging:LogLevel:Default=Warning",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitHealthyAsync(int port)
    {
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var response = await http.GetAsync($"http://127.0.0.1:{port}/health");
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

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
