namespace QualityScan.Pipeline.Cli;

/// <summary>Bad command-line arguments; the message says what is wrong.</summary>
public sealed class UsageException(string message) : Exception(message);
