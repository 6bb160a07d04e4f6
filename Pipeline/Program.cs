namespace QualityScan.Pipeline;

/// <summary>The qualityscan command-line program.</summary>
public static class Program
{
    /// <summary>Entry point.</summary>
    public static int Main(string[] args)
    {
        Console.Error.WriteLine("qualityscan: no commands yet");
        return args.Length == 0 ? 2 : 2;
    }
}
