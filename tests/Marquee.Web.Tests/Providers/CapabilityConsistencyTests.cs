using System.Reflection;
using System.Text.Json.Nodes;
using Marquee.Core.Providers;
using Marquee.Core.Validation;
using Marquee.Hosting;
using Marquee.Providers.Jellyfin;
using Marquee.TestKit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Web.Tests.Providers;

/// <summary>
/// Every kind the app registers declares exactly the capabilities its providers implement: the flags a flow is
/// checked against and the interfaces the sync engine calls cannot drift apart.
/// </summary>
public sealed class CapabilityConsistencyTests : IDisposable
{
    /// <summary>Each capability flag and the interface that grants it, written out here independently of the code that derives them.</summary>
    private static readonly (string Flag, Type Interface)[] Contract =
    [
        (nameof(ProviderCapabilities.CanReadWatchState), typeof(IWatchStateSource)),
        (nameof(ProviderCapabilities.CanWriteWatchState), typeof(IWatchStateSink)),
        (nameof(ProviderCapabilities.CanRate), typeof(IRatingSink)),
        (nameof(ProviderCapabilities.CanWriteProgress), typeof(IProgressSink)),
        (nameof(ProviderCapabilities.HasWatchlist), typeof(IWatchlist)),
        (nameof(ProviderCapabilities.CanFindWatchlistKeys), typeof(IWatchlistLookup)),
        (nameof(ProviderCapabilities.CanBatchWatchlist), typeof(IWatchlistBatch)),
        (nameof(ProviderCapabilities.CanListAccounts), typeof(IAccountDirectory)),
        (nameof(ProviderCapabilities.CanListLibraries), typeof(ILibraryDirectory)),
        (nameof(ProviderCapabilities.CanReadHistory), typeof(IHistorySource)),
        (nameof(ProviderCapabilities.CanManageSessions), typeof(ISessionManager)),
        (nameof(ProviderCapabilities.CanEditLabels), typeof(ILabelManager)),
        (nameof(ProviderCapabilities.CanMaintainLibraries), typeof(ILibraryMaintenance)),
        (nameof(ProviderCapabilities.CanWriteBatches), typeof(IBatchWriteSink)),
        (nameof(ProviderCapabilities.HasOpenCatalog), typeof(ICatalogTarget)),
    ];

    private readonly TempFolder _folder = new();

    [Fact]
    public void EveryRegisteredKind_DeclaresExactlyTheInterfacesItsProviderImplements()
    {
        using var services = AppServices();
        var registry = services.GetRequiredService<ProviderRegistry>();

        var problems = Disagreements(registry, services);

        Assert.Superset(new HashSet<string> { "plex", "jellyfin", "emby" }, registry.Kinds.ToHashSet());
        Assert.Empty(problems);
    }

    [Fact]
    public void Emby_DoesNotImplementRatingsOrProgress_AndJellyfinDoes()
    {
        using var services = AppServices();
        var registry = services.GetRequiredService<ProviderRegistry>();

        var emby = Create(registry, "emby", services);
        var jellyfin = Create(registry, "jellyfin", services);

        Assert.IsType<EmbyProvider>(emby);
        Assert.IsNotAssignableFrom<IRatingSink>(emby);
        Assert.IsNotAssignableFrom<IProgressSink>(emby);
        Assert.IsAssignableFrom<IRatingSink>(jellyfin);
        Assert.IsAssignableFrom<IProgressSink>(jellyfin);
    }

    [Fact]
    public void ADescriptorDeclaringAFlagItsTypeDoesNotImplement_IsCaughtByTheRegistryCheck()
    {
        // Emby's provider has no rating write; a descriptor that says otherwise would let a flow carry ratings to it.
        using var services = AppServices(new LyingDescriptor("liar", "emby", typeof(EmbyProvider), c => c with { CanRate = true }));
        var registry = services.GetRequiredService<ProviderRegistry>();

        var problems = Disagreements(registry, services);

        var problem = Assert.Single(problems);
        Assert.Contains("liar", problem, StringComparison.Ordinal);
        Assert.Contains("CanRate", problem, StringComparison.Ordinal);
        Assert.Contains(nameof(IRatingSink), problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ADescriptorHidingAFlagItsTypeImplements_IsCaughtByTheRegistryCheck()
    {
        // The shape of the old Emby declaration: the type writes resume points, the declaration says it cannot.
        using var services = AppServices(new LyingDescriptor("shy", "jellyfin", typeof(JellyfinProvider), c => c with { CanWriteProgress = false }));
        var registry = services.GetRequiredService<ProviderRegistry>();

        var problems = Disagreements(registry, services);

        var problem = Assert.Single(problems);
        Assert.Contains("shy", problem, StringComparison.Ordinal);
        Assert.Contains("CanWriteProgress", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ADescriptorWhoseProvidersAreNotOfItsDeclaredType_IsCaughtByTheRegistryCheck()
    {
        using var services = AppServices(new LyingDescriptor("other", "jellyfin", typeof(EmbyProvider), c => c));
        var registry = services.GetRequiredService<ProviderRegistry>();

        var problems = Disagreements(registry, services);

        Assert.Contains("other: declares providers of type EmbyProvider but created a JellyfinProvider", problems);
    }

    [Fact]
    public void EveryCapabilityInterface_HasAFlag_AndEveryFlagAnInterfaceOrAFact()
    {
        string[] facts = [nameof(ProviderCapabilities.CanBackdateWatched)];
        var interfaces = typeof(IProvider).Assembly.GetExportedTypes()
            .Where(t => t.IsInterface && t.Namespace == typeof(IProvider).Namespace && t != typeof(IProvider) && t != typeof(IProviderDescriptor))
            .ToHashSet();
        var flags = typeof(ProviderCapabilities).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.PropertyType == typeof(bool))
            .Select(p => p.Name)
            .ToHashSet();

        Assert.Equal(interfaces, Contract.Select(c => c.Interface).ToHashSet());
        Assert.Equal(flags, Contract.Select(c => c.Flag).Concat(facts).ToHashSet());
    }

    public void Dispose() => _folder.Dispose();

    /// <summary>Creates a provider of every kind with sample settings and lists each flag that disagrees with the interfaces it implements.</summary>
    private static List<string> Disagreements(ProviderRegistry registry, IServiceProvider services)
    {
        var problems = new List<string>();
        foreach (var descriptor in registry.All.OrderBy(d => d.Kind, StringComparer.Ordinal))
        {
            var provider = Create(registry, descriptor.Kind, services);
            if (!descriptor.ProviderType.IsInstanceOfType(provider))
            {
                problems.Add($"{descriptor.Kind}: declares providers of type {descriptor.ProviderType.Name} but created a {provider.GetType().Name}");
            }

            foreach (var (flag, contract) in Contract)
            {
                var declared = (bool)typeof(ProviderCapabilities).GetProperty(flag)!.GetValue(descriptor.Capabilities)!;
                var implemented = contract.IsInstanceOfType(provider);
                if (declared != implemented)
                {
                    problems.Add($"{descriptor.Kind}: {flag} is declared {declared}, but {provider.GetType().Name} {(implemented ? "implements" : "does not implement")} {contract.Name}");
                }
            }
        }

        return problems;
    }

    private static IProvider Create(ProviderRegistry registry, string kind, IServiceProvider services)
    {
        Assert.True(registry.TryGet(kind, out var descriptor), kind);
        return descriptor.Create(SampleSettings(descriptor), new ProviderContext(1, "sample", services, new RequestCounts()));
    }

    /// <summary>
    /// Settings with a sample value for every required field, then for optional fields in schema order until they
    /// validate (Jellyfin wants an API key or a user), read through the same codec as stored settings.
    /// </summary>
    private static ProviderSettings SampleSettings(IProviderDescriptor descriptor)
    {
        var fields = SettingsField.Describe(descriptor.SettingsType);
        var json = new JsonObject();
        foreach (var field in fields.Where(f => f.Required))
        {
            json[field.Name] = Sample(field);
        }

        var optional = new Queue<SettingsField>(fields.Where(f => !f.Required));
        while (true)
        {
            try
            {
                return SettingsCodec.Read(descriptor, json);
            }
            catch (ValidationException) when (optional.TryDequeue(out var next))
            {
                json[next.Name] = Sample(next);
            }
        }
    }

    private static JsonNode Sample(SettingsField field) => field.ValueType.TrimEnd('?') switch
    {
        "boolean" => JsonValue.Create(false),
        "integer" or "number" => JsonValue.Create(1),
        _ when field.Kind == FieldKind.Url => JsonValue.Create("http://127.0.0.1:9/"),
        _ => JsonValue.Create("sample"),
    };

    /// <summary>The services <c>marquee serve</c> and every CLI command build, plus any test-only descriptors.</summary>
    private ServiceProvider AppServices(params IProviderDescriptor[] extra)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Marquee:DataFolder"] = _folder.Path }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddMarqueeServices(configuration, _ => null);
        foreach (var descriptor in extra)
        {
            services.AddSingleton<IProviderDescriptor>(descriptor);
        }

        return services.BuildServiceProvider();
    }

    /// <summary>A test-only kind that borrows a real kind's settings and providers but declares capabilities by hand.</summary>
    private sealed class LyingDescriptor(string kind, string realKind, Type providerType, Func<ProviderCapabilities, ProviderCapabilities> declare) : IProviderDescriptor
    {
        public string Kind => kind;

        public string DisplayName => kind;

        public Type SettingsType => typeof(JellyfinSettings);

        public Type ProviderType => providerType;

        public ProviderCapabilities Capabilities => declare(ProviderCapabilities.Of(providerType, ProviderFacts.Default));

        public IReadOnlyList<FieldProblem> Validate(ProviderSettings settings) => [];

        public IProvider Create(ProviderSettings settings, ProviderContext context) =>
            context.Services.CreateJellyfinProvider(realKind, (JellyfinSettings)settings, context);
    }
}
