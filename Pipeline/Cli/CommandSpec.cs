namespace QualityScan.Pipeline.Cli;

/// <summary>One option of a command, as <c>--help</c> shows it.</summary>
/// <param name="Name">The name without dashes (<c>out</c> for <c>--out</c>).</param>
/// <param name="Description">What it means, one sentence.</param>
/// <remarks>
/// The default is only shown: an option not given reads as null in <see cref="CommandArguments"/>, so a
/// configuration file can still fill it in, and the command applies its own default after that.
/// </remarks>
public sealed record OptionSpec(string Name, string Description)
{
    /// <summary>The default as help shows it ("one per core", "int8"); null for none.</summary>
    public string? Default { get; init; }

    /// <summary>True for a switch that takes no value (<c>--force</c>).</summary>
    public bool IsFlag { get; init; }

    /// <summary>How the value is written in help (<c>folder</c>, <c>int8|fp32</c>).</summary>
    public string? ValueName { get; init; }

    /// <summary>True for an option that may be given several times (<c>--reviews a.csv --reviews b.csv</c>).</summary>
    public bool Repeatable { get; init; }

    /// <summary>A short form (<c>-o</c>), or null.</summary>
    public string? Alias { get; init; }

    /// <summary>A switch.</summary>
    public static OptionSpec Flag(string name, string description) => new(name, description) { IsFlag = true };
}

/// <summary>One positional argument of a command.</summary>
/// <param name="Name">How help names it (<c>input folder</c>).</param>
/// <param name="Description">What it is.</param>
/// <param name="Required">False for an optional one.</param>
public sealed record ArgumentSpec(string Name, string Description, bool Required = true);

/// <summary>What a command takes: the one place its options are declared, for parsing and for <c>--help</c>.</summary>
/// <param name="Name">The word that selects it.</param>
/// <param name="Description">What it does, for help.</param>
public sealed record CommandSpec(string Name, string Description)
{
    /// <summary>Positional arguments in order.</summary>
    public IReadOnlyList<ArgumentSpec> Arguments { get; init; } = [];

    /// <summary>Options.</summary>
    public IReadOnlyList<OptionSpec> Options { get; init; } = [];

    /// <summary>True to take any number of positional arguments (the name-only parser overload).</summary>
    public bool AcceptsAnyArguments { get; init; }

    /// <summary>Sub-commands (<c>bench analyze</c>, <c>bench transcribe</c>); empty for most.</summary>
    public IReadOnlyList<CommandSpec> Subcommands { get; init; } = [];
}
