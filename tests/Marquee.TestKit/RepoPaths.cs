namespace Marquee.TestKit;

public static class RepoPaths
{
    /// <summary>Gets the repository root, found by walking up from the test binaries to Marquee.sln.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Marquee.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Marquee.sln not found above " + AppContext.BaseDirectory);
    }
}
