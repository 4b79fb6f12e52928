using AgentHost.Core.Domain;
using AgentHost.Core.Tools;
using Microsoft.Extensions.AI;

namespace AgentHost.Core.Engine;

/// <summary>
/// The functions one model call of a run offers, by the name the model sees: the run's <c>function</c> tools (run by
/// the caller) and every function its tool sources declare. Names are unique: a declared name already taken (by a
/// function tool or an earlier definition) is not offered again, so each name maps back to exactly one tool.
/// </summary>
internal sealed class RunToolSet
{
    private readonly Dictionary<string, ToolBinding> bindings = new(StringComparer.Ordinal);
    private readonly HashSet<string> functions = new(StringComparer.Ordinal);
    private readonly List<AITool> tools = [];

    private RunToolSet()
    {
    }

    /// <summary>What the model is offered, in the order of the run's tool definitions.</summary>
    public IReadOnlyList<AITool> Tools => tools;

    /// <summary>The source-served function the model called by <paramref name="name"/>; null for a caller-run function or an unknown name.</summary>
    public ToolBinding? Find(string name) => bindings.GetValueOrDefault(name);

    public static async Task<RunToolSet> BuildAsync(ThreadRun run, ToolSources sources, CancellationToken cancellationToken)
    {
        var set = new RunToolSet();
        foreach (var definition in run.Tools)
        {
            if (definition.Function is { } function)
            {
                set.functions.Add(function.Name);
            }
        }

        var offeredFunctions = new HashSet<string>(StringComparer.Ordinal);
        foreach (var definition in run.Tools)
        {
            if (definition.Function is { } function)
            {
                if (offeredFunctions.Add(function.Name))
                {
                    set.tools.Add(AIFunctionFactory.CreateDeclaration(function.Name, function.Description, function.Parameters));
                }

                continue;
            }

            if (sources.For(definition.Type) is not { } source)
            {
                continue;
            }

            foreach (var declaration in await source.DeclareAsync(run, definition, cancellationToken))
            {
                if (!set.functions.Contains(declaration.Name) && set.bindings.TryAdd(declaration.Name, new ToolBinding(source, definition, declaration)))
                {
                    set.tools.Add(declaration);
                }
            }
        }

        return set;
    }
}

/// <summary>A function the model can call, with the source and tool definition that serve it.</summary>
internal sealed record ToolBinding(IToolSource Source, ToolDefinition Definition, AIFunctionDeclaration Function);
