using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using QualityScan.Pipeline.Cli;

namespace QualityScan.Pipeline.Benchmarks;

/// <summary>One model's figures in <c>bench transcribe</c>: a row of the engine table.</summary>
/// <param name="Engine">Engine and weights, e.g. <c>ONNX int8</c> or <c>whisper.cpp q8_0</c>.</param>
/// <param name="Model">The model folder's or file's name.</param>
/// <param name="LoadTime">From the start of loading until the model can transcribe.</param>
/// <param name="EncoderMsPerWindow">Encoder time per 30 s window.</param>
/// <param name="DecoderMsPerToken">Decoder time per token decoded.</param>
/// <param name="EncoderPasses">Encoder passes for the call (language detection included).</param>
/// <param name="Tokens">Tokens decoded for the call.</param>
/// <param name="RealTimeFactor">Seconds of call per second of wall time, best run.</param>
/// <param name="PeakBytes">The process's peak resident memory.</param>
public sealed record EngineRow(string Engine, string Model, TimeSpan LoadTime, double EncoderMsPerWindow, double DecoderMsPerToken, long EncoderPasses, long Tokens, double RealTimeFactor, long PeakBytes)
{
    /// <summary>The table's header and separator lines (Markdown).</summary>
    public const string Header = "| engine | model | load s | encoder ms/window | decoder ms/token | encoder passes | tokens | call x real time | peak MB |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |";

    /// <summary>The row as a Markdown table line.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"| {Engine} | {Model} | {LoadTime.TotalSeconds:0.0} | {EncoderMsPerWindow:0} | {DecoderMsPerToken:0.0} | {EncoderPasses} | {Tokens} | {RealTimeFactor:0.0} | {PeakBytes / 1e6:0} |");
}

/// <summary>
/// <c>bench transcribe --model A --compare B</c>: each model measured by <c>bench transcribe</c> in a process of its
/// own, then one table of every model's row.
/// </summary>
/// <remarks>
/// A process of its own per model, because the peak memory of a process is one number: measured in one process, the
/// second engine's peak would include the first's. The models run one after the other, never side by side.
/// </remarks>
public static class EngineComparison
{
    /// <summary>What starts the line a measuring process writes its row on.</summary>
    private const string RowPrefix = "engine row: ";

    /// <summary>Writes this process's row for the comparing process to collect.</summary>
    public static void WriteRow(EngineRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        Console.Out.WriteLine(RowPrefix + row);
    }

    /// <summary>Runs <c>bench transcribe</c> once per model in a process of its own (the other arguments as given) and prints the table.</summary>
    /// <param name="args">The command's arguments after <c>transcribe</c>.</param>
    /// <param name="models">The models, in order; null: the default model.</param>
    /// <param name="cancellationToken">Stops the measuring process.</param>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, IReadOnlyList<string?> models, CancellationToken cancellationToken)
    {
        var common = WithoutModels(args);
        var rows = new List<string>();
        var failed = 0;
        foreach (var model in models)
        {
            var childArgs = model is null ? common : [.. common, "--model", model];
            Console.Out.WriteLine($"== {model ?? "the default model"}");
            var (code, row) = await MeasureAsync(childArgs, cancellationToken).ConfigureAwait(false);
            if (code != 0 || row is null)
            {
                Console.Error.WriteLine($"qualityscan bench: measuring {model ?? "the default model"} failed (exit code {code})");
                failed++;
                continue;
            }

            rows.Add(row);
        }

        Console.Out.WriteLine();
        Console.Out.WriteLine(EngineRow.Header);
        foreach (var row in rows)
        {
            Console.Out.WriteLine(row);
        }

        return failed == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }

    /// <summary>The arguments without any <c>--model</c> or <c>--compare</c> and their values.</summary>
    private static List<string> WithoutModels(IReadOnlyList<string> args)
    {
        var kept = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] is "--model" or "--compare")
            {
                i++;
                continue;
            }

            if (args[i].StartsWith("--model=", StringComparison.Ordinal) || args[i].StartsWith("--compare=", StringComparison.Ordinal))
            {
                continue;
            }

            kept.Add(args[i]);
        }

        return kept;
    }

    private static async Task<(int Code, string? Row)> MeasureAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo { RedirectStandardOutput = true, UseShellExecute = false };
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("the path of this program is unknown");
        start.FileName = host;
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            // Run through the dotnet host (dotnet qualityscan.dll): the program's assembly comes first.
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }

        foreach (var arg in (string[])["bench", "transcribe", .. args])
        {
            start.ArgumentList.Add(arg);
        }

        using var child = Process.Start(start) ?? throw new InvalidOperationException($"{host} did not start");
        await using var _ = cancellationToken.Register(() => child.Kill(entireProcessTree: true));
        string? row = null;
        while (await child.StandardOutput.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.StartsWith(RowPrefix, StringComparison.Ordinal))
            {
                row = line[RowPrefix.Length..];
            }
            else
            {
                Console.Out.WriteLine(line);
            }
        }

        await child.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return (child.ExitCode, row);
    }
}
