using Serilog;
using Serilog.Events;

namespace QualityScan.Pipeline.Cli;

/// <summary>Builds the program's Serilog logger: the console (standard error, so standard output stays for results) and optionally a log file.</summary>
public static class Logging
{
    /// <summary>
    /// Creates a logger writing to standard error and, when <paramref name="logFile"/> is given, to that file;
    /// <paramref name="redact"/> (e.g. phone-number masking) is applied to every text property of every event.
    /// </summary>
    public static Serilog.Core.Logger Create(string? logFile, bool verbose, Func<string, string>? redact = null)
    {
        var config = new LoggerConfiguration()
            .MinimumLevel.Is(verbose ? LogEventLevel.Debug : LogEventLevel.Information)
            .Enrich.With(new Redactor(redact ?? (text => text)))
            .WriteTo.Console(
                outputTemplate: "{Timestamp:HH:mm:ss} {Level:u3} {Message:lj}{NewLine}{Exception}",
                standardErrorFromLevel: LogEventLevel.Verbose,
                formatProvider: System.Globalization.CultureInfo.InvariantCulture);
        if (logFile is not null)
        {
            config = config.WriteTo.File(
                logFile,
                outputTemplate: "{Timestamp:yyyy-MM-dd HH:mm:ss.fff} {Level:u3} {Message:lj}{NewLine}{Exception}",
                formatProvider: System.Globalization.CultureInfo.InvariantCulture);
        }

        return config.CreateLogger();
    }

    private sealed class Redactor(Func<string, string> redact) : Serilog.Core.ILogEventEnricher
    {
        public void Enrich(LogEvent logEvent, Serilog.Core.ILogEventPropertyFactory propertyFactory)
        {
            foreach (var (name, value) in logEvent.Properties.ToList())
            {
                if (value is ScalarValue { Value: string text } && redact(text) is var redacted && redacted != text)
                {
                    logEvent.AddOrUpdateProperty(new LogEventProperty(name, new ScalarValue(redacted)));
                }
            }
        }
    }
}
