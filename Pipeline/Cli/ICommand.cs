namespace QualityScan.Pipeline.Cli;

/// <summary>One <c>qualityscan</c> sub-command.</summary>
public interface ICommand
{
    /// <summary>The word that selects it (<c>scan</c>, <c>analyze</c>, ...).</summary>
    string Name { get; }

    /// <summary>One usage line and a sentence on what it does.</summary>
    string Usage { get; }

    /// <summary>Runs the command; returns the process exit code (see <see cref="ExitCodes"/>).</summary>
    Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken);
}
