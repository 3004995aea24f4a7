using System.Text.Json.Nodes;
using Marquee.Core.Flows;

namespace Marquee.Core.Configuration;

/// <summary>The content of marquee.yaml: connections, profiles and flows declared by name, each with the line it came from.</summary>
public sealed record DeclarativeConfig(
    string File,
    IReadOnlyList<DeclaredConnection> Connections,
    IReadOnlyList<DeclaredProfile> Profiles,
    IReadOnlyList<DeclaredFlow> Flows);

public sealed record DeclaredConnection(int Line, string Name, string Kind, JsonObject Settings);

public sealed record DeclaredProfile(int Line, string Name, string? DisplayName, IReadOnlyList<DeclaredAccount> Accounts);

public sealed record DeclaredAccount(int Line, string Connection, string Account);

public sealed record DeclaredFlow(int Line, FlowInput Flow);
