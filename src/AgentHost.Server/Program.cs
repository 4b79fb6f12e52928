using AgentHost.Server.Hosting;

var app = AgentHostApp.Build(args);
await app.RunAsync();
