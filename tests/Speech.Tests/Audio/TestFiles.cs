using System.Diagnostics;

namespace QualityScan.Speech.Tests.Audio;

/// <summary>A temporary directory for one test, deleted afterwards.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "qualityscan-audio-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string Write(string name, byte[] bytes)
    {
        string path = File(name);
        System.IO.File.WriteAllBytes(path, bytes);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A process still holding a file; the OS cleans the temp directory eventually.
        }
    }
}

/// <summary>Finding and running the external programs some tests need.</summary>
internal static class ExternalTools
{
    public static string? Find(string program)
    {
        string[] names = OperatingSystem.IsWindows() ? [program + ".exe"] : [program];
        foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (string name in names)
            {
                string candidate = Path.Combine(directory, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>The program's path, or an ignored test saying what to install.</summary>
    public static string Require(string program, string package)
    {
        string? path = Find(program);
        if (path is null)
        {
            Assert.Ignore($"{program} is not on PATH; install it to run this test (Debian: apt-get install {package}).");
        }

        return path!;
    }

    /// <summary>Runs a program to completion, failing the test with its error output when it fails.</summary>
    public static void Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        output.Wait();
        Assert.That(process.ExitCode, Is.Zero, $"{Path.GetFileName(program)} {string.Join(' ', arguments)} failed: {error}");
    }

    /// <summary>Writes an executable shell script (Unix only; the test is ignored elsewhere).</summary>
    public static string WriteScript(TempDirectory directory, string name, string body)
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Ignore("This test stands in for ffmpeg with a shell script, which needs a Unix shell.");
        }

        string path = directory.File(name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }
}

/// <summary>Wraps a stream so it cannot seek or tell its length, like a pipe.</summary>
internal sealed class PipeLikeStream(Stream inner) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, Math.Min(count, 1000));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
