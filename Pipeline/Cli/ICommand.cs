namespace QualityScan.Pipeline.Cli;

/// <summary>One <c>qualityscan</c> sub-command.</summary>
public interface ICommand
{
    /// <summary>The word that selects it (<c>scan</c>, <c>analyze</c>, ...).</summary>
    string Name { get; }

    /// <summary>What it does and the arguments and options it takes: the one declaration for parsing and <c>--help</c>.</summary>
    CommandSpec Spec { get; }

    /// <summary>Runs the command; returns the process exit code (see <see cref="ExitCodes"/>).</summary>
    Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken);
}
