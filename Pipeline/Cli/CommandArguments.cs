using System.Globalization;

namespace QualityScan.Pipeline.Cli;

/// <summary>Parsed command-line arguments: positional values, <c>--name value</c> options and <c>--flag</c> switches.</summary>
/// <remarks>
/// Deliberately small: every command declares the options it takes, and anything else is a
/// <see cref="UsageException"/> naming the unknown option, so a typo never silently falls back to a default.
/// </remarks>
public sealed class CommandArguments
{
    private readonly Dictionary<string, string> _values;
    private readonly HashSet<string> _flags;

    private CommandArguments(List<string> positionals, Dictionary<string, string> values, HashSet<string> flags)
    {
        Positionals = positionals;
        _values = values;
        _flags = flags;
    }

    /// <summary>The positional arguments in order.</summary>
    public IReadOnlyList<string> Positionals { get; }

    /// <summary>Parses <paramref name="args"/> given the options that take a value and the flags that do not.</summary>
    public static CommandArguments Parse(IReadOnlyList<string> args, IReadOnlyCollection<string> valueOptions, IReadOnlyCollection<string> flagOptions)
    {
        ArgumentNullException.ThrowIfNull(args);
        var positionals = new List<string>();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg == "--")
            {
                positionals.Add(arg);
                continue;
            }

            var name = arg[2..];
            string? inline = null;
            var eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                inline = name[(eq + 1)..];
                name = name[..eq];
            }

            if (flagOptions.Contains(name))
            {
                if (inline is not null)
                {
                    throw new UsageException($"--{name} takes no value");
                }

                flags.Add(name);
            }
            else if (valueOptions.Contains(name))
            {
                var value = inline ?? (i + 1 < args.Count ? args[++i] : throw new UsageException($"--{name} needs a value"));
                values[name] = value;
            }
            else
            {
                var known = valueOptions.Concat(flagOptions).Select(o => "--" + o).OrderBy(o => o, StringComparer.Ordinal);
                throw new UsageException($"unknown option --{name} (this command takes: {string.Join(", ", known)})");
            }
        }

        return new CommandArguments(positionals, values, flags);
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

        return new CommandArguments(Positionals.ToList(), values, _flags);
    }

    /// <summary>True when the flag was given.</summary>
    public bool Has(string flag) => _flags.Contains(flag);

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
