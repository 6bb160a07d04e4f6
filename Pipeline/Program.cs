using System.CommandLine;
using System.CommandLine.Invocation;
using System.Runtime.InteropServices;
using QualityScan.Pipeline.Cli;
using QualityScan.Pipeline.Batch.Night;

namespace QualityScan.Pipeline;

/// <summary>The <c>qualityscan</c> command-line program.</summary>
public static class Program
{
    /// <summary>All sub-commands, in the order <c>--help</c> lists them. Parsing and help are System.CommandLine's, built from each command's <see cref="ICommand.Spec"/>.</summary>
    public static IReadOnlyList<ICommand> Commands { get; } =
    [
        new ScanCommand(),
        new ReportCommand(),
        new TranscribeCommand(),
        new AnalyzeCommand(),
        new TrendsCommand(),
        new EvaluateCommand(),
        new LearnCommand(),
        new BenchCommand(),
        new ModelsCommand(),
    ];

    /// <summary>Entry point: <c>qualityscan &lt;command&gt; [arguments]</c>; see <see cref="ExitCodes"/> for what it returns.</summary>
    public static async Task<int> Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        HugePageHeap.Enable(args);
        NativeTelemetry.TurnOff();
        if (args.Length > 0 && args[0] == "help")
        {
            args = [.. args[1..], "--help"];
        }

        var root = CommandLine.Root(Commands);
        var invocation = new InvocationConfiguration { Output = Console.Out, Error = Console.Error, EnableDefaultExceptionHandler = false };
        if (args.Length == 0)
        {
            root.Parse(["--help"], CommandLine.ParserConfiguration).Invoke(invocation);
            return ExitCodes.Usage;
        }

        var parsed = root.Parse(args, CommandLine.ParserConfiguration);
        if (parsed.Action is SynchronousCommandLineAction and not ParseErrorAction)
        {
            // --help, -h or --version: they win over anything else on the line.
            return parsed.Invoke(invocation);
        }

        var command = Commands.FirstOrDefault(c => c.Name == args[0]);
        if (parsed.Errors.Count > 0 || command is null)
        {
            var name = command is null ? "qualityscan" : $"qualityscan {command.Name}";
            Console.Error.WriteLine($"{name}: {(parsed.Errors.Count > 0 ? CommandLine.Describe(parsed) : $"unknown command '{args[0]}'")}");
            Console.Error.WriteLine($"run '{name} --help' for what it takes");
            return ExitCodes.Usage;
        }

        // Customers' words: whatever the umask, what any command creates is 0750/0640 (scan applies output_mode on top).
        OutputPermissions.Default.Apply();
        using var cts = new CancellationTokenSource();
        var session = new RunSession();
        RunSession.Current = session;
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            if (!cts.IsCancellationRequested)
            {
                // First Ctrl-C: stop taking new work, finish the calls in progress and write the reports.
                Console.Error.WriteLine("qualityscan: stopping after the calls in progress (Ctrl-C again to quit now)");
                cts.Cancel();
                return;
            }

            // Second Ctrl-C: stop at once, but leave run.json "interrupted" and no lock behind; every report file is whole
            // (atomic writes), and run.json says when the set is a mix of this run's and an earlier one's.
            Console.Error.WriteLine("qualityscan: quitting now");
            session.Abort();
            Environment.Exit(ExitCodes.Interrupted);
        };
        Console.CancelKeyPress += onCancel;
        UnhandledExceptionEventHandler onUnhandled = (_, e) =>
        {
            // An exception on a background thread ends the process whatever we do: record it first, and exit 1 rather than 134.
            if (e.ExceptionObject is Exception ex)
            {
                session.Crash(ex, command.Name);
                Environment.Exit(ExitCodes.Failure);
            }
        };
        AppDomain.CurrentDomain.UnhandledException += onUnhandled;
        using var onSigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            // systemd stops a service with SIGTERM (or the unit's KillSignal): finish like a first Ctrl-C.
            context.Cancel = !cts.IsCancellationRequested;
            cts.Cancel();
        });
        try
        {
            return await command.RunAsync(args[1..], cts.Token).ConfigureAwait(false);
        }
        catch (UsageException ex)
        {
            Console.Error.WriteLine($"qualityscan {command.Name}: {ex.Message}");
            Console.Error.WriteLine($"run 'qualityscan {command.Name} --help' for what it takes");
            return ExitCodes.Usage;
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            Console.Error.WriteLine("qualityscan: interrupted");
            session.End(RunStatus.Interrupted, ExitCodes.Interrupted, "interrupted before the reports were written", "earlier run");
            return ExitCodes.Interrupted;
        }
        catch (Exception ex)
        {
            // The last resort: no run ends in an unhandled exception; it is logged with what was being worked on, and run.json says failed.
            return session.Crash(ex, command.Name);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
            AppDomain.CurrentDomain.UnhandledException -= onUnhandled;
            RunSession.Current = null;
        }
    }
}
