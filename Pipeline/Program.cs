using QualityScan.Pipeline.Cli;

namespace QualityScan.Pipeline;

/// <summary>The <c>qualityscan</c> command-line program.</summary>
public static class Program
{
    /// <summary>All sub-commands, in the order <c>--help</c> lists them.</summary>
    public static IReadOnlyList<ICommand> Commands { get; } =
    [
        new ScanCommand(),
        new TranscribeCommand(),
        new AnalyzeCommand(),
        new TrendsCommand(),
        new EvaluateCommand(),
        new BenchCommand(),
    ];

    /// <summary>Entry point: <c>qualityscan &lt;command&gt; [arguments]</c>.</summary>
    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            PrintHelp(Console.Out);
            return args.Length == 0 ? ExitCodes.Usage : ExitCodes.Success;
        }

        var command = Commands.FirstOrDefault(c => c.Name == args[0]);
        if (command is null)
        {
            Console.Error.WriteLine($"qualityscan: unknown command '{args[0]}'");
            PrintHelp(Console.Error);
            return ExitCodes.Usage;
        }

        using var cts = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            if (!cts.IsCancellationRequested)
            {
                // First Ctrl-C: stop taking new work and keep what is finished; a second one ends the process.
                e.Cancel = true;
                Console.Error.WriteLine("qualityscan: stopping after the calls in progress (Ctrl-C again to quit now)");
                cts.Cancel();
            }
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            return await command.RunAsync(args[1..], cts.Token).ConfigureAwait(false);
        }
        catch (UsageException ex)
        {
            Console.Error.WriteLine($"qualityscan {command.Name}: {ex.Message}");
            Console.Error.WriteLine("usage: qualityscan " + command.Usage.Trim());
            return ExitCodes.Usage;
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            Console.Error.WriteLine("qualityscan: interrupted");
            return ExitCodes.Interrupted;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    private static void PrintHelp(TextWriter writer)
    {
        writer.WriteLine("qualityscan: transcribes recorded calls locally and checks them against the customer-service standard.");
        writer.WriteLine();
        writer.WriteLine("commands:");
        foreach (var c in Commands)
        {
            writer.WriteLine("  " + c.Usage.Trim().Replace("\n", "\n  ", StringComparison.Ordinal));
        }
    }
}
