namespace QualityScan.Pipeline.Batch;

/// <summary>A manifest that cannot be used at all (unreadable, or a required column missing), naming the file and the problem.</summary>
public sealed class ManifestException(string path, string reason) : Exception($"{path}: {reason}")
{
    /// <summary>The manifest file.</summary>
    public string Path { get; } = path;
}
