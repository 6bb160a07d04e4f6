using QualityScan.Models.IO;

namespace QualityScan.Pipeline.Batch;

/// <summary>A file found under the input folder, or the reason it may not be read.</summary>
/// <param name="Relative">Path relative to the input folder, with <c>/</c>, as reports show it.</param>
/// <param name="FullPath">The resolved path to read (symbolic links followed), or null when refused.</param>
/// <param name="Problem">Why the file may not be read, or null.</param>
public sealed record InputFile(string Relative, string? FullPath, string? Problem);

/// <summary>
/// Keeps every read inside the input folder: resolves paths to their real location, refuses anything that resolves
/// outside the folder or is not a regular file, and walks the tree without following directory links.
/// </summary>
/// <remarks>
/// <para>A path is resolved component by component, following symbolic links (at most <see cref="MaxLinkHops"/>),
/// and must end inside the real input folder: <c>../x.wav</c>, <c>/etc/passwd</c> and a link to either are refused.
/// Only regular files are read: a FIFO named <c>x.wav</c> would block the batch, a link to <c>/dev/zero</c> would
/// never end.</para>
/// <para>The walk enters real subfolders only; a link to a folder is listed in the warnings and not followed, so a
/// loop (<c>agentA/loop -&gt; ..</c>) or a link out of the tree costs nothing. A link to a file is followed when the
/// file is inside the tree.</para>
/// </remarks>
public sealed class InputFolder
{
    /// <summary>Most symbolic links followed while resolving one path (as Linux allows).</summary>
    public const int MaxLinkHops = 40;

    /// <summary>Opens the input folder at <paramref name="folder"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public InputFolder(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        Root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        RealRoot = RealPath(Root, out _) is { } real && FileKinds.Of(real) == FileKind.Directory
            ? real
            : throw new DirectoryNotFoundException($"{folder}: input folder does not exist");
    }

    /// <summary>The folder as given, made absolute.</summary>
    public string Root { get; }

    /// <summary>The folder with every symbolic link resolved.</summary>
    public string RealRoot { get; }

    /// <summary>Checks a path named relative to the folder (a manifest's <c>file</c>); <see cref="InputFile.Problem"/> says why it is refused.</summary>
    public InputFile Resolve(string relative)
    {
        ArgumentNullException.ThrowIfNull(relative);
        var shown = relative.Replace('\\', '/');
        if (Path.IsPathRooted(relative) || shown.StartsWith('/'))
        {
            return new InputFile(shown, null, $"'{shown}' is an absolute path; give the path relative to the input folder");
        }

        var full = Path.GetFullPath(Path.Combine(Root, shown));
        if (!IsInside(full, Root))
        {
            return new InputFile(shown, null, $"'{shown}' is outside the input folder");
        }

        shown = Path.GetRelativePath(Root, full).Replace('\\', '/');
        return Check(shown, full);
    }

    /// <summary>Lists every file of the tree (sorted), refusing those that may not be read; folder links are not followed.</summary>
    /// <param name="warnings">Receives a line for each folder link not followed and each folder that cannot be listed.</param>
    public IReadOnlyList<InputFile> Walk(ICollection<string> warnings)
    {
        ArgumentNullException.ThrowIfNull(warnings);
        var files = new List<InputFile>();
        var pending = new Stack<string>();
        pending.Push(Root);
        while (pending.Count > 0)
        {
            var folder = pending.Pop();
            IEnumerable<string> entries;
            try
            {
                entries = Directory.EnumerateFileSystemEntries(folder, "*", new EnumerationOptions { RecurseSubdirectories = false, AttributesToSkip = 0, IgnoreInaccessible = false }).ToList();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                warnings.Add($"{Relative(folder)}/: cannot list the folder ({ex.Message})");
                continue;
            }

            foreach (var entry in entries)
            {
                var relative = Relative(entry);
                switch (FileKinds.Of(entry, followLinks: false))
                {
                    case FileKind.Directory:
                        pending.Push(entry);
                        break;
                    case FileKind.SymbolicLink when FileKinds.Of(entry) == FileKind.Directory:
                        warnings.Add($"{relative}: a link to a folder; not followed (recordings must be inside the input folder itself)");
                        break;
                    case FileKind.Missing when !Path.GetFileName(entry).Contains('\uFFFD'):
                        break;
                    default:
                        files.Add(Check(relative, entry));
                        break;
                }
            }
        }

        files.Sort((a, b) => string.CompareOrdinal(a.Relative, b.Relative));
        return files;
    }

    private InputFile Check(string relative, string full)
    {
        if (Path.GetFileName(full).Contains('\uFFFD'))
        {
            return new InputFile(relative, null, $"{relative}: the file name is not valid UTF-8 (it cannot be opened by this name); rename the file");
        }

        var real = RealPath(full, out var loop);
        if (real is null)
        {
            return new InputFile(relative, null, loop
                ? $"{relative}: too many levels of symbolic links"
                : $"file '{relative}' does not exist");
        }

        if (!IsInside(real, RealRoot))
        {
            return new InputFile(relative, null, $"{relative}: resolves to {real}, outside the input folder; not read");
        }

        return FileKinds.Of(real) switch
        {
            FileKind.Regular => new InputFile(relative, real, null),
            FileKind.Directory => new InputFile(relative, null, $"{relative}: is a folder, not a recording"),
            FileKind.Missing => new InputFile(relative, null, $"file '{relative}' does not exist"),
            _ => new InputFile(relative, null, $"{relative}: not a regular file (a FIFO, socket or device); not read"),
        };
    }

    private string Relative(string full) => Path.GetRelativePath(Root, full).Replace('\\', '/');

    private static bool IsInside(string path, string folder) =>
        path.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal) || folder == Path.GetPathRoot(folder) && path.StartsWith(folder, StringComparison.Ordinal);

    /// <summary>
    /// The path with every symbolic link resolved (like <c>realpath(3)</c>), or null when a component is missing or
    /// more than <see cref="MaxLinkHops"/> links are met (<paramref name="loop"/> is then true).
    /// </summary>
    public static string? RealPath(string path, out bool loop)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        loop = false;
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full) ?? "/";
        var rest = new Stack<string>(full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Reverse());
        var current = root;
        var hops = 0;
        while (rest.TryPop(out var part))
        {
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? root;
                continue;
            }

            var next = Path.Combine(current, part);
            var kind = FileKinds.Of(next, followLinks: false);
            if (kind == FileKind.Missing)
            {
                return null;
            }

            if (kind != FileKind.SymbolicLink)
            {
                current = next;
                continue;
            }

            if (++hops > MaxLinkHops)
            {
                loop = true;
                return null;
            }

            var target = new FileInfo(next).LinkTarget;
            if (target is null)
            {
                return null;
            }

            if (Path.IsPathRooted(target))
            {
                current = Path.GetPathRoot(target) ?? root;
                target = target[current.Length..];
            }

            foreach (var piece in target.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Reverse())
            {
                rest.Push(piece);
            }
        }

        return current;
    }
}
