namespace Marquee.Core.Providers;

/// <summary>
/// A configured provider instance bound to one connection. Providers implement the capability
/// interfaces they support in addition to this one.
/// </summary>
public interface IProvider
{
    /// <summary>Checks that the connection answers and the credentials work; problems point at the field to fix.</summary>
    Task<IReadOnlyList<FieldProblem>> TestAsync(CancellationToken cancellationToken);
}
