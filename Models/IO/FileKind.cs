using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace QualityScan.Models.IO;

/// <summary>What a path names on disk, told without opening it (opening a FIFO blocks, reading a device never ends).</summary>
public enum FileKind
{
    /// <summary>Nothing there (or it cannot be examined).</summary>
    Missing,

    /// <summary>A regular file: the only kind a recording or transcript is read from.</summary>
    Regular,

    /// <summary>A directory.</summary>
    Directory,

    /// <summary>A symbolic link (only reported when links are not followed).</summary>
    SymbolicLink,

    /// <summary>A FIFO, socket, character or block device.</summary>
    Special,
}

/// <summary>Finds the <see cref="FileKind"/> of a path: <c>statx(2)</c> on Linux, file attributes elsewhere.</summary>
public static class FileKinds
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;
    private const int ModeOffset = 28;
    private const int TypeMask = 0xF000;

    private static bool _statxMissing = !OperatingSystem.IsLinux();

    /// <summary>The kind of <paramref name="path"/>; with <paramref name="followLinks"/> false a symbolic link is reported as such.</summary>
    public static FileKind Of(string path, bool followLinks = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!_statxMissing)
        {
            var buffer = new byte[256];
            try
            {
                if (Statx(AtFdCwd, path, followLinks ? 0 : AtSymlinkNoFollow, StatxType, buffer) != 0)
                {
                    return FileKind.Missing;
                }

                return (BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(ModeOffset)) & TypeMask) switch
                {
                    0x8000 => FileKind.Regular,
                    0x4000 => FileKind.Directory,
                    0xA000 => FileKind.SymbolicLink,
                    _ => FileKind.Special,
                };
            }
            catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
            {
                _statxMissing = true;
            }
        }

        // Without statx: no way to tell a FIFO from a file, but links and directories are still recognised.
        FileSystemInfo info = new FileInfo(path);
        if (!followLinks && info.LinkTarget is not null)
        {
            return FileKind.SymbolicLink;
        }

        if (followLinks && info.LinkTarget is not null)
        {
            var target = info.ResolveLinkTarget(returnFinalTarget: true);
            if (target is null)
            {
                return FileKind.Missing;
            }

            info = target;
        }

        return Directory.Exists(info.FullName) ? FileKind.Directory : File.Exists(info.FullName) ? FileKind.Regular : FileKind.Missing;
    }

    [DllImport("libc", EntryPoint = "statx")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Statx(int dirFd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, [Out] byte[] buffer);
}
