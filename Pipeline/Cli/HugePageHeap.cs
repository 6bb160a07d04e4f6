using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;

namespace QualityScan.Pipeline.Cli;

/// <summary>
/// Puts the native heap (ONNX Runtime's weights, its prepacked int8 matrices and the encoder's activations) on
/// transparent huge pages, by starting the program once more with glibc's malloc told to ask for them
/// (<c>GLIBC_TUNABLES=glibc.malloc.hugetlb=1</c>).
/// </summary>
/// <remarks>
/// <para>Why: at whisper-small the encoder reads 90 MB of weights and writes 12 x 1500 x 1500 attention scores per layer
/// for every 30 s window. On 4 KB pages that is tens of thousands of TLB misses and, since the activations are freed
/// after each window, as many page faults; on 2 MB pages the encoder took 689 ms per window instead of 1052 ms and the
/// model loaded in 6.7 s instead of 9.2 s (4-minute stereo call, small int8, one worker x 2 threads, EPYC,
/// docs/models.md), at the same peak memory.</para>
/// <para>glibc reads its tunables only when a program starts, so the setting cannot be made from inside a running
/// process: the program re-executes itself (same process id, arguments, standard streams and environment, plus the
/// tunable) before it has done anything else. It does so only on Linux, only as the <c>qualityscan</c> program (never
/// inside a test host that calls <see cref="Program.Main"/>), only for the commands that load a model, only when the
/// kernel offers transparent huge pages (<c>always</c> or <c>madvise</c>), and never when <c>GLIBC_TUNABLES</c> already
/// names <c>glibc.malloc.hugetlb</c>: an operator turns it off with <c>GLIBC_TUNABLES=glibc.malloc.hugetlb=0</c>. If the
/// re-execution fails the program goes on as it is.</para>
/// </remarks>
internal static class HugePageHeap
{
    /// <summary>The environment variable glibc reads its tunables from.</summary>
    public const string TunablesVariable = "GLIBC_TUNABLES";

    /// <summary>The tunable, set to 1: malloc advises the kernel to back its memory with huge pages.</summary>
    public const string Tunable = "glibc.malloc.hugetlb";

    /// <summary>The commands that load a Whisper model, and so gain from huge pages.</summary>
    public static readonly string[] ModelCommands = ["scan", "transcribe", "bench", "models"];

    private const string EntryAssembly = "qualityscan";
    private const string HugePageSetting = "/sys/kernel/mm/transparent_hugepage/enabled";

    /// <summary>
    /// When huge pages would be used but are not asked for yet, starts this program again with them asked for; returns
    /// only when nothing was to be done or the new start failed.
    /// </summary>
    public static void Enable(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (!OperatingSystem.IsLinux()
            || Assembly.GetEntryAssembly()?.GetName().Name != EntryAssembly
            || args.Length == 0 || !ModelCommands.Contains(args[0]))
        {
            return;
        }

        var tunables = Environment.GetEnvironmentVariable(TunablesVariable);
        if (!Wanted(tunables, ReadSetting()))
        {
            return;
        }

        var argv = ReadCommandLine();
        if (argv.Count == 0)
        {
            return;
        }

        var environment = Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(name => name != TunablesVariable)
            .Select(name => $"{name}={Environment.GetEnvironmentVariable(name)}")
            .Append($"{TunablesVariable}={WithTunable(tunables)}");
        Console.Out.Flush();
        Console.Error.Flush();
        _ = Execute("/proc/self/exe", [.. argv, null], [.. environment, null]);
    }

    /// <summary>Whether to ask for huge pages: the kernel offers them and the operator has not set the tunable either way.</summary>
    /// <param name="tunables">The current <c>GLIBC_TUNABLES</c>, or null.</param>
    /// <param name="kernelSetting">The content of <c>/sys/kernel/mm/transparent_hugepage/enabled</c>, e.g. <c>always [madvise] never</c>, or null.</param>
    public static bool Wanted(string? tunables, string? kernelSetting) =>
        (tunables is null || !tunables.Contains(Tunable, StringComparison.Ordinal))
        && kernelSetting is not null
        && (kernelSetting.Contains("[always]", StringComparison.Ordinal) || kernelSetting.Contains("[madvise]", StringComparison.Ordinal));

    /// <summary><paramref name="tunables"/> with the huge-page tunable added (glibc separates tunables with colons).</summary>
    public static string WithTunable(string? tunables) =>
        string.IsNullOrEmpty(tunables) ? $"{Tunable}=1" : $"{tunables}:{Tunable}=1";

    /// <summary>Whether this process's native heap is on huge pages, in words for the log and the benchmark.</summary>
    public static string Describe()
    {
        var setting = ReadSetting();
        if (!Wanted(null, setting))
        {
            return "4 KB pages (the kernel offers no transparent huge pages)";
        }

        return setting!.Contains("[always]", StringComparison.Ordinal)
            || Environment.GetEnvironmentVariable(TunablesVariable)?.Contains($"{Tunable}=1", StringComparison.Ordinal) == true
            ? "huge pages"
            : $"4 KB pages ({TunablesVariable} sets {Tunable} otherwise)";
    }

    private static string? ReadSetting()
    {
        try
        {
            return File.ReadAllText(HugePageSetting);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The process's arguments as the kernel has them, program first (for the apphost and for <c>dotnet qualityscan.dll</c> alike).</summary>
    private static List<string> ReadCommandLine()
    {
        try
        {
            var raw = File.ReadAllBytes("/proc/self/cmdline");
            var text = Encoding.UTF8.GetString(raw);
            // An argument that is not UTF-8 (a file name in another encoding) would not survive the round trip.
            return Encoding.UTF8.GetBytes(text).AsSpan().SequenceEqual(raw) ? [.. text.TrimEnd('\0').Split('\0')] : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    [DllImport("libc", EntryPoint = "execve", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Execute(string path, string?[] argv, string?[] environment);
}
