using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Globalization;
using QualityScan.Analyzers;
using QualityScan.Pipeline.Batch;
using QualityScan.Speech.Transcription;

namespace QualityScan.Pipeline.Cli;

/// <summary>
/// The parsing layer on System.CommandLine: builds the <c>qualityscan</c> command tree from the commands' <see cref="CommandSpec"/>s,
/// gives every command <c>--help</c>/<c>-h</c> (each option's meaning and default, and the exit codes), <c>--version</c>,
/// and suggestions for misspelled options and commands.
/// </summary>
public static class CommandLine
{
    /// <summary>The exit codes as help lists them (from <see cref="ExitCodes.All"/>).</summary>
    public static string ExitCodesHelp => ExitCodes.Help();

    /// <summary>The parser settings: no response files (a path may start with @).</summary>
    public static ParserConfiguration ParserConfiguration { get; } = new() { ResponseFileTokenReplacer = null };

    /// <summary>The root command with every command of <paramref name="commands"/> under it.</summary>
    public static RootCommand Root(IEnumerable<ICommand> commands)
    {
        ArgumentNullException.ThrowIfNull(commands);
        var root = new RootCommand("qualityscan: transcribes recorded calls locally and checks them against the customer-service standard.");
        foreach (var command in commands)
        {
            root.Subcommands.Add(Build(command.Spec));
        }

        foreach (var option in root.Options)
        {
            if (option is VersionOption version)
            {
                version.Action = new VersionAction();
            }
        }

        AddExitCodesToHelp(root);
        return root;
    }

    /// <summary>A System.CommandLine command for <paramref name="spec"/> (options, arguments, sub-commands).</summary>
    public static Command Build(CommandSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var command = new Command(spec.Name, spec.Description);
        foreach (var argument in spec.Arguments)
        {
            command.Arguments.Add(new Argument<string>(argument.Name)
            {
                Description = argument.Description + (argument.Required ? " (required)" : " (optional)"),
                // Required arguments are checked by the command itself, so its message names what is missing.
                Arity = ArgumentArity.ZeroOrOne,
            });
        }

        if (spec.AcceptsAnyArguments)
        {
            command.Arguments.Add(new Argument<string[]>("arguments") { Arity = ArgumentArity.ZeroOrMore });
        }

        foreach (var option in spec.Options)
        {
            var names = option.Alias is null ? Array.Empty<string>() : [option.Alias];
            var description = option.Default is null ? option.Description : $"{option.Description} [default: {option.Default}]";
            Option built = option.IsFlag
                ? new Option<bool>("--" + option.Name, names) { Description = description }
                : option.Repeatable
                    ? new Option<string[]>("--" + option.Name, names) { Description = description + " (may be repeated)", HelpName = option.ValueName, Arity = ArgumentArity.OneOrMore, AllowMultipleArgumentsPerToken = false }
                    : new Option<string>("--" + option.Name, names) { Description = description, HelpName = option.ValueName };
            command.Options.Add(built);
        }

        foreach (var sub in spec.Subcommands)
        {
            command.Subcommands.Add(Build(sub));
        }

        return command;
    }

    /// <summary>Parses <paramref name="args"/> (after the command's name) against <paramref name="spec"/>.</summary>
    public static ParseResult Parse(CommandSpec spec, IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(args);
        var command = Build(spec);
        return command.Parse(args, ParserConfiguration);
    }

    /// <summary>The first parse error with System.CommandLine's suggestions ("did you mean --out?").</summary>
    public static string Describe(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var first = result.Errors[0].Message;
        var unmatched = result.UnmatchedTokens.FirstOrDefault();
        var subcommands = result.CommandResult.Command.Subcommands.Select(c => c.Name).ToList();
        if (unmatched is not null && !unmatched.StartsWith('-') && subcommands.Count > 0)
        {
            var near = subcommands.Where(k => Distance(k, unmatched) <= Math.Max(2, unmatched.Length / 3)).OrderBy(k => Distance(k, unmatched)).Take(3).ToList();
            first = $"unknown command '{unmatched}'" + (near.Count > 0 ? $"; did you mean {string.Join(" or ", near)}?" : "") + $" (commands: {string.Join(", ", subcommands)})";
        }
        else if (unmatched is not null && unmatched.StartsWith('-'))
        {
            var known = result.CommandResult.Command.Options.Where(o => !o.Hidden).SelectMany(o => o.Aliases.Prepend(o.Name)).Where(n => n.StartsWith("--", StringComparison.Ordinal)).ToList();
            var near = known.Where(k => Distance(k, unmatched) <= Math.Max(2, unmatched.Length / 3)).OrderBy(k => Distance(k, unmatched)).Take(3).ToList();
            first = $"unknown option {unmatched}" + (near.Count > 0 ? $"; did you mean {string.Join(" or ", near)}?" : "")
                + $" (this command takes: {string.Join(", ", known.Where(k => k != "--help" && k != "--version").Order(StringComparer.Ordinal))})";
        }

        return first;
    }

    /// <summary>The <c>--version</c> text: program version and commit, the default model's and the shipped rule packs' identity.</summary>
    public static string VersionText()
    {
        string model;
        try
        {
            model = WhisperModelFiles.Find(WhisperModel.DefaultModelFolder, WhisperPrecision.Int8).Identity();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ModelNotFoundException or InvalidModelException)
        {
            model = "not found (" + ex.Message + ")";
        }

        string rules;
        try
        {
            rules = RunIdentity.Rules(RuleBook.Load());
        }
        catch (Exception ex) when (ex is IOException or Analyzers.Rules.RulePackException)
        {
            rules = "not loadable (" + ex.Message + ")";
        }

        return string.Create(CultureInfo.InvariantCulture, $"qualityscan {RunIdentity.ProgramVersion}\nmodel (default): {model}\nrule packs (shipped): {rules}\n");
    }

    private static void AddExitCodesToHelp(Command command)
    {
        foreach (var option in command.Options)
        {
            if (option is HelpOption help && help.Action is HelpAction inner)
            {
                help.Action = new HelpWithExitCodes(inner);
            }
        }

        foreach (var sub in command.Subcommands)
        {
            AddExitCodesToHelp(sub);
        }
    }

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
        }

        return d[a.Length, b.Length];
    }

    private sealed class HelpWithExitCodes(HelpAction inner) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            inner.Invoke(parseResult);
            parseResult.InvocationConfiguration.Output.WriteLine(ExitCodesHelp);
            return ExitCodes.Success;
        }
    }

    private sealed class VersionAction : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            parseResult.InvocationConfiguration.Output.Write(VersionText());
            return ExitCodes.Success;
        }
    }
}
