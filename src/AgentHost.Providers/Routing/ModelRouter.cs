using System.Collections.Concurrent;
using AgentHost.Core.Models;
using AgentHost.Providers.Resilience;
using AgentHost.Providers.Shaping;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AgentHost.Providers.Routing;

/// <summary>
/// Routes model names to provider clients wrapped in <see cref="ResilientChatClient"/> and then in the pipeline's
/// <see cref="IModelCallLayer"/>s (the first registered is outermost). Clients are built once
/// per model name and reused: they are thread-safe, and building one per call would cost more than the call's
/// own overhead budget.
/// </summary>
internal sealed class ModelRouter : IModelRouter, IDisposable
{
    private readonly ConcurrentDictionary<string, IChatClient> _clients = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<ModelTarget, IChatClient> _providerClients = new();
    private readonly ProviderOptions _options;
    private readonly ModelResolver _resolver;
    private readonly HttpClient _http;
    private readonly ProviderClientFactory _factory;
    private readonly ModelOutputLimits _outputLimits;
    private readonly NormalizedSchemaCache _schemas = new();
    private readonly TimeProvider _timeProvider;
    private readonly IModelCallObserver[] _observers;
    private readonly IModelCallLayer[] _layers;
    private readonly ILogger<ResilientChatClient> _logger;

    public ModelRouter(
        IOptions<ProviderOptions> options,
        TimeProvider timeProvider,
        IEnumerable<IModelCallObserver> observers,
        IEnumerable<IModelCallLayer> layers,
        ILoggerFactory? loggerFactory = null)
    {
        _options = options.Value;
        _resolver = new ModelResolver(_options);
        _http = UpstreamHttp.CreateClient();
        _factory = new ProviderClientFactory(_options, _http);
        _outputLimits = new ModelOutputLimits(_options);
        _timeProvider = timeProvider;
        _observers = [.. observers];
        _layers = [.. layers];
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<ResilientChatClient>();
        KnownModels = ListKnownModels();
    }

    public IReadOnlyList<string> KnownModels { get; }

    public IChatClient GetClient(string model)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        return _clients.TryGetValue(model, out var client)
            ? client
            : _clients.GetOrAdd(model, static (name, router) => router.CreateClient(name), this);
    }

    public void Dispose()
    {
        foreach (var client in _providerClients.Values)
        {
            client.Dispose();
        }

        _http.Dispose();
    }

    private IChatClient CreateClient(string model)
    {
        IChatClient client = CreateResilientClient(model);
        for (var i = _layers.Length - 1; i >= 0; i--)
        {
            client = _layers[i].Wrap(client, model);
        }

        return client;
    }

    private ResilientChatClient CreateResilientClient(string model)
    {
        var target = _resolver.Resolve(model);
        var primary = GetProviderClient(target);
        FallbackClient? fallback = null;
        if (_resolver.FallbackFor(model) is { } fallbackModel)
        {
            ModelTarget fallbackTarget;
            IChatClient fallbackClient;
            try
            {
                fallbackTarget = _resolver.Resolve(fallbackModel);
                fallbackClient = GetProviderClient(fallbackTarget);
            }
            catch (ModelUnavailableException e)
            {
                throw new ModelUnavailableException(
                    $"The fallback model '{fallbackModel}' configured for '{model}' is unavailable. {e.Message}");
            }

            if (fallbackTarget != target)
            {
                fallback = new FallbackClient(fallbackTarget, fallbackClient);
            }
        }

        return new ResilientChatClient(primary, target, fallback, _options.Retry, _timeProvider, _observers, _logger);
    }

    private IChatClient GetProviderClient(ModelTarget target) =>
        _providerClients.GetOrAdd(target, static (t, router) => router.CreateProviderClient(t), this);

    /// <summary>The SDK's client behind the <see cref="ShapedChatClient"/> that fits requests to that target.</summary>
    private ShapedChatClient CreateProviderClient(ModelTarget target)
    {
        var dialect = target.Provider switch
        {
            ProviderNames.Anthropic => TargetDialect.Anthropic,
            ProviderNames.OpenAI => TargetDialect.OpenAI,
            _ => TargetDialect.Compatible,
        };
        return new ShapedChatClient(_factory.Create(target), target, dialect, _outputLimits.For(target.Provider, target.Model), _schemas, _observers);
    }

    private string[] ListKnownModels()
    {
        IEnumerable<string> names = _options.Aliases.Keys
            .Concat(_options.Servers.Values.SelectMany(s => s.Models).Where(m => !m.EndsWith('*')));
        if (_factory.HasAnthropic)
        {
            names = names.Concat(WellKnownModels.Anthropic);
        }

        if (_factory.HasOpenAI)
        {
            names = names.Concat(WellKnownModels.OpenAI);
        }

        return [.. names.Distinct(StringComparer.OrdinalIgnoreCase)];
    }
}
