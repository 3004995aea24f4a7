using System.Runtime.InteropServices;

namespace Marquee.Core.Sync;

/// <summary>
/// Hands the C library's free heap pages back to the system. Memory that native code (SQLite, the runtime's JIT and
/// type loader, the TLS library) allocated during a full run and freed again stays with glibc's allocator, in the middle
/// of its arenas, where it only returns to the system when asked: after two full runs of the reference library a lean
/// server held 18 MB in those arenas, and asking gave 8 MB of it back (bench/RESULTS.md, "The lean build").
/// </summary>
public static class NativeHeap
{
    private static volatile bool _unavailable = !OperatingSystem.IsLinux();

    /// <summary>
    /// Asks glibc to release every free page of its heaps (<c>malloc_trim(0)</c>); true when it released any. False, and
    /// never tried again, where there is no glibc (another system, or musl, whose allocator returns memory by itself).
    /// </summary>
    public static bool GiveBack()
    {
        if (_unavailable)
        {
            return false;
        }

        try
        {
            return MallocTrim(0) != 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            _unavailable = true;
            return false;
        }
    }

    [DllImport("libc.so.6", EntryPoint = "malloc_trim", ExactSpelling = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int MallocTrim(nuint pad);
}
