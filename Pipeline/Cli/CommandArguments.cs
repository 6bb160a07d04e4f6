using System.CommandLine;
using System.Globalization;

namespace QualityScan.Pipeline.Cli;

/// <summary>Parsed command-line arguments: positional values, <c>--name value</c> options and <c>--flag</c> switches.</summary>
/// <remarks>
/// Parsing is System.CommandLine's (see <see cref="CommandLine"/>): every command declares the options it takes in its
/// <see cref="CommandSpec"/>, and anything else is a <see cref="UsageException"/> naming the unknown option with a
/// suggestion, so a typo never silently falls back to a default. An option not given reads as null, so a configuration
/// file (<see cref="WithDefaults"/>) and then the command's own default can fill it in.
/// </remarks>
public sealed class CommandArguments
{
    private readonly Dictionary<string, string> _values;
    private readonly HashSet<string> _flags;
    private readonly Dictionary<string, List<string>> _allValues;

    private CommandArguments(List<string> positionals, Dictionary<string, string> values, HashSet<string> flags, Dictionary<string, List<string>> allValues)
    {
        Positionals = positionals;
        _values = values;
        _flags = flags;
        _allValues = allValues;
    }

    /// <summary>The positional arguments in order.</summary>
    public IReadOnlyList<string> Positionals { get; }

    /// <summary>Parses <paramref name="args"/> (after the command's name) against <paramref name="spec"/> with System.CommandLine.</summary>
    /// <exception cref="UsageException">An unknown option (with a suggestion), a missing value, an extra argument.</exception>
    public static CommandArguments Parse(IReadOnlyList<string> args, CommandSpec spec)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(spec);
        var result = CommandLine.Parse(spec, args);
        if (result.Errors.Count > 0)
        {
            throw new UsageException(CommandLine.Describe(result));
        }

        var command = result.CommandResult.Command;
        var positionals = new List<string>();
        foreach (var argument in command.Arguments)
        {
            if (argument is Argument<string[]> list)
            {
                positionals.AddRange(result.GetValue(list) ?? []);
            }
            else if (argument is Argument<string> single && result.GetValue(single) is { } value)
            {
                positionals.Add(value);
            }
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        var allValues = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var option in spec.Options)
        {
            if (option.IsFlag)
            {
                if (result.GetValue<bool>("--" + option.Name))
                {
                    flags.Add(option.Name);
                }
            }
            else if (option.Repeatable)
            {
                if (result.GetValue<string[]>("--" + option.Name) is { Length: > 0 } given)
                {
                    allValues[option.Name] = [.. given];
                    values[option.Name] = given[^1];
                }
            }
            else if (result.GetValue<string>("--" + option.Name) is { } value)
            {
                values[option.Name] = value;
                allValues[option.Name] = [value];
            }
        }

        return new CommandArguments(positionals, values, flags, allValues);
    }

    /// <summary>
    /// The parser of before System.CommandLine, by option names only: still parses (any number of positionals), so code
    /// written against it keeps working. To appear in <c>--help</c> and be accepted by the program, an option must be in
    /// the command's <see cref="ICommand.Spec"/>: port such calls by adding an <see cref="OptionSpec"/> there.
    /// </summary>
    public static CommandArguments Parse(IReadOnlyList<string> args, IReadOnlyCollection<string> valueOptions, IReadOnlyCollection<string> flagOptions)
    {
        ArgumentNullException.ThrowIfNull(valueOptions);
        ArgumentNullException.ThrowIfNull(flagOptions);
        var spec = new CommandSpec("command", "")
        {
            Options = [.. valueOptions.Select(n => new OptionSpec(n, "") { Repeatable = true }), .. flagOptions.Select(n => OptionSpec.Flag(n, ""))],
            AcceptsAnyArguments = true,
        };
        return Parse(args, spec);
    }

    /// <summary>These arguments with <paramref name="defaults"/> (a configuration file's values) for the options not given.</summary>
    public CommandArguments WithDefaults(IReadOnlyDictionary<string, string> defaults)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        var values = new Dictionary<string, string>(_values, StringComparer.Ordinal);
        foreach (var (name, value) in defaults)
        {
            values.TryAdd(name, value);
        }

        var allValues = new Dictionary<string, List<string>>(_allValues, StringComparer.Ordinal);
        foreach (var (name, value) in defaults)
        {
            allValues.TryAdd(name, [value]);
        }

        return new CommandArguments(Positionals.ToList(), values, _flags, allValues);
    }

    /// <summary>True when the flag was given.</summary>
    public bool Has(string flag) => _flags.Contains(flag);

    /// <summary>Every value given for an option that may repeat (<c>--reviews a.csv --reviews b.csv</c>), in order; empty when not given.</summary>
    public IReadOnlyList<string> Values(string name) => _allValues.TryGetValue(name, out var list) ? list : [];

    /// <summary>The option's value, or null when not given.</summary>
    public string? Value(string name) => _values.TryGetValue(name, out var v) ? v : null;

    /// <summary>The option's value as a whole number within a range, or <paramref name="fallback"/> when not given.</summary>
    public int Int(string name, int fallback, int min, int max)
    {
        var text = Value(name);
        if (text is null)
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new UsageException($"--{name} takes a whole number from {min} to {max} (got '{text}')");
        }

        return value;
    }

    /// <summary>The option's value, which must be one of <paramref name="allowed"/>, or <paramref name="fallback"/>.</summary>
    public string Choice(string name, string fallback, params string[] allowed)
    {
        var text = Value(name);
        if (text is null)
        {
            return fallback;
        }

        return allowed.Contains(text, StringComparer.OrdinalIgnoreCase)
            ? text.ToLowerInvariant()
            : throw new UsageException($"--{name} takes one of {string.Join(", ", allowed)} (got '{text}')");
    }

    /// <summary>The single positional argument the command needs, or a usage error naming it.</summary>
    public string RequiredPositional(int index, string what) =>
        index < Positionals.Count ? Positionals[index] : throw new UsageException($"missing {what}");
}
