namespace QualityScan.Analyzers.Learning;

/// <summary>A learned model file that cannot be used: unreadable, malformed, or for another language.</summary>
public sealed class LearnedModelException : Exception
{
    /// <summary>Creates the exception for <paramref name="path"/>.</summary>
    public LearnedModelException(string path, string problem, Exception? innerException = null)
        : base($"{path}: {problem}", innerException)
    {
        Path = path;
        Problem = problem;
    }

    /// <summary>The model file.</summary>
    public string Path { get; }

    /// <summary>What is wrong with it.</summary>
    public string Problem { get; }
}
