using System.Runtime.InteropServices;

namespace QualityScan.Pipeline.Cli;

/// <summary>
/// Turns off ONNX Runtime's own telemetry before the first model is loaded, so that a scan writes nothing outside its
/// output folder.
/// </summary>
/// <remarks>
/// <para>ONNX Runtime 1.31 on Linux starts a telemetry uploader (the 1DS SDK) when its environment is created: it keeps
/// an event database <c>onnxruntime.db</c> (with <c>-wal</c>/<c>-shm</c>) and a <c>deviceid</c> file in
/// <c>$XDG_CACHE_HOME</c> or <c>~/.cache</c>, under <c>Microsoft/DeveloperTools/.onnxruntime</c>, and tries to send them
/// out. It stays off when the process environment has <c>ORT_DISABLE_TELEMETRY</c> (the name this native build reads;
/// later sources call it <c>ORT_TELEMETRY_DISABLED</c>, set too), or a CI variable such as <c>CI=true</c>.</para>
/// <para>The native library reads the C environment (<c>getenv</c>), which <see cref="Environment.SetEnvironmentVariable(string, string)"/>
/// does not change on Linux, so both are set with <c>setenv</c>. A value already set by the operator is kept.</para>
/// </remarks>
internal static class NativeTelemetry
{
    /// <summary>The environment variables that keep ONNX Runtime's telemetry (and its files in the home folder) off.</summary>
    public static readonly string[] OffSwitches = ["ORT_DISABLE_TELEMETRY", "ORT_TELEMETRY_DISABLED"];

    /// <summary>Sets <see cref="OffSwitches"/> to 1 in the process's C environment unless already set; call before any model is loaded.</summary>
    public static void TurnOff()
    {
        foreach (var name in OffSwitches)
        {
            if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name)))
            {
                Environment.SetEnvironmentVariable(name, "1");
                if (!OperatingSystem.IsWindows())
                {
                    _ = SetEnv(name, "1", 1);
                }
            }
        }
    }

    [DllImport("libc", EntryPoint = "setenv", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int SetEnv(string name, string value, int overwrite);
}
