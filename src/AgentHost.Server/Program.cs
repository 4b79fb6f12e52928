using AgentHost.Server.Files.Cli;
using AgentHost.Server.Hosting;
using AgentHost.Server.Hosting.Cli;
using AgentHost.Server.Observability.Cli;

// `agenthost costs …` plans and reports costs without starting the server.
if (args.Length > 0 && args[0] == "costs")
{
    return await CostsCommand.RunAsync(args[1..], Console.Out, TimeProvider.System);
}

// `agenthost files upload ./docs --vector-store …` uploads a folder to a running AgentHost and shows ingestion progress.
if (args.Length > 0 && args[0] == "files")
{
    return await FilesCommand.RunAsync(args[1..], Console.Out, TimeProvider.System);
}

// `agenthost migrate --from sqlite:./data --to postgres:…` moves an installation to PostgreSQL.
if (args.Length > 0 && args[0] == "migrate")
{
    return await MigrateCommand.RunAsync(args[1..], Console.Out);
}

var app = AgentHostApp.Build(args);
await app.RunAsync();
return 0;
