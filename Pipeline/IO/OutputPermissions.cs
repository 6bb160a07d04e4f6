using System.Globalization;
using System.Runtime.InteropServices;

namespace QualityScan.Pipeline;

/// <summary>
/// Who may read what a night leaves behind: every folder QualityScan creates gets <see cref="FolderMode"/> (default
/// <c>0750</c>) and every file <see cref="FileMode"/> (the same without execute bits, default <c>0640</c>), whatever the
/// umask it was started with, and the output folder may be given to a group (<c>output_group</c>) that the files inherit.
/// </summary>
/// <remarks>
/// <para>The modes are enforced by setting the process umask at start (<see cref="Apply"/>): every file the process
/// creates — reports, transcripts, clips, the history with its <c>-wal</c>/<c>-shm</c> files, the log, temporary files —
/// passes through it, so no writer has to remember. A group is set on the output folder together with the set-group-id
/// bit, so everything created below it belongs to that group too (on Linux and macOS; nothing is done on Windows).</para>
/// <para>Folders that already exist are not changed; <see cref="Secure"/> names those with wider rights, for one log line.</para>
/// </remarks>
public sealed record OutputPermissions(UnixFileMode FolderMode, string? Group)
{
    /// <summary>Owner everything, group read and enter, others nothing.</summary>
    public const UnixFileMode DefaultFolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute;

    private const UnixFileMode Execute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
    private const UnixFileMode Permissions = (UnixFileMode)0x1FF;

    /// <summary>Folders 0750, files 0640, no group.</summary>
    public static OutputPermissions Default { get; } = new(DefaultFolderMode, null);

    /// <summary>The mode of every file created: <see cref="FolderMode"/> without the execute bits.</summary>
    public UnixFileMode FileMode => FolderMode & ~Execute;

    /// <summary>True where file modes and umasks exist (Linux, macOS).</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatformGuard("windows")]
    public static bool Supported => OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD();

    /// <summary>Reads an <c>output_mode</c> value: three or four octal digits (<c>0750</c>, <c>770</c>), the owner keeping all rights.</summary>
    /// <exception cref="FormatException">Not such a mode; the message says what is expected.</exception>
    public static UnixFileMode ParseMode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var digits = text.Trim();
        if (digits.Length is 3 or 4 && digits.All(c => c is >= '0' and <= '7') && (digits.Length == 3 || digits[0] == '0'))
        {
            var mode = (UnixFileMode)Convert.ToInt32(digits, 8);
            if (mode.HasFlag(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute))
            {
                return mode;
            }
        }

        throw new FormatException($"must be a folder mode in octal, the owner keeping rwx, like 0750 or 0770 (got '{text}')");
    }

    /// <summary>The mode as octal digits, e.g. <c>0750</c>.</summary>
    public static string Octal(UnixFileMode mode) => "0" + Convert.ToString((int)(mode & Permissions), 8).PadLeft(3, '0');

    /// <summary>Sets the process umask so that every folder created gets <see cref="FolderMode"/> and every file <see cref="FileMode"/>.</summary>
    public void Apply()
    {
        if (Supported)
        {
            _ = Native.Umask((uint)(~FolderMode & Permissions));
        }
    }

    /// <summary>
    /// After the output folder exists: hands it (and the folders in it) to <see cref="Group"/> with the set-group-id bit,
    /// and returns what the log should say once: folders already there with wider rights than <see cref="FolderMode"/>,
    /// or a group that could not be set; null when there is nothing to say.
    /// </summary>
    public string? Secure(string outputFolder)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputFolder);
        if (!Supported || !Directory.Exists(outputFolder))
        {
            return null;
        }

        var notes = new List<string>();
        var folders = Directory.EnumerateDirectories(outputFolder, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true })
            .Prepend(outputFolder).ToList();
        if (Group is not null)
        {
            if (GroupId(Group) is not { } gid)
            {
                notes.Add($"output_group {Group}: no such group; the files keep the owner's group");
            }
            else
            {
                var refused = folders.Where(f => Native.Chown(f, -1, gid) != 0).ToList();
                foreach (var folder in folders.Except(refused))
                {
                    File.SetUnixFileMode(folder, File.GetUnixFileMode(folder) | UnixFileMode.SetGroup);
                }

                if (refused.Count > 0)
                {
                    notes.Add($"output_group {Group}: could not give {refused.Count} folder(s) to the group (is the account a member?), e.g. {refused[0]}");
                }
            }
        }

        var wider = new List<string>();
        foreach (var folder in folders)
        {
            if ((File.GetUnixFileMode(folder) & Permissions & ~FolderMode) != 0)
            {
                wider.Add(folder);
            }
        }

        if (wider.Count > 0)
        {
            notes.Add($"{wider.Count} folder(s) in the output already allow more than {Octal(FolderMode)} and were left as they are, e.g. {wider[0]} ({Octal(File.GetUnixFileMode(wider[0]))}); chmod -R o-rwx them if others must not read the calls");
        }

        return notes.Count == 0 ? null : string.Join("; ", notes);
    }

    /// <summary>The id of group <paramref name="group"/> (a name or a number), or null when there is no such group.</summary>
    public static int? GroupId(string group)
    {
        ArgumentException.ThrowIfNullOrEmpty(group);
        if (int.TryParse(group, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        if (!Supported)
        {
            return null;
        }

        // struct group { char *gr_name; char *gr_passwd; gid_t gr_gid; char **gr_mem; }
        var entry = Native.GetGroupByName(group);
        return entry == IntPtr.Zero ? null : Marshal.ReadInt32(entry, 2 * IntPtr.Size);
    }

    private static class Native
    {
        [DllImport("libc", EntryPoint = "umask")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern uint Umask(uint mask);

        [DllImport("libc", EntryPoint = "chown", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Chown([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int owner, int group);

        [DllImport("libc", EntryPoint = "getgrnam")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern IntPtr GetGroupByName([MarshalAs(UnmanagedType.LPUTF8Str)] string name);
    }
}
