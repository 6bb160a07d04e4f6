namespace QualityScan.Pipeline.Tests.Cli;

/// <summary>Runs <c>qualityscan</c> in-process through <see cref="Program.Main"/> and captures what it prints.</summary>
internal static class CliRun
{
    /// <summary>The exit code and the text written to standard output and standard error.</summary>
    public static async Task<(int Code, string Out, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var (originalOut, originalError) = (Console.Out, Console.Error);
        Console.SetOut(output);
        Console.SetError(error);
        try
        {
            var code = await Program.Main(args);
            return (code, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(originalOut);
            Console.SetError(originalError);
        }
    }
}
