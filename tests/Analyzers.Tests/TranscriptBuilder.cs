using QualityScan.Models;

namespace QualityScan.Analyzers.Tests;

/// <summary>Builds call transcripts in code: <c>TranscriptBuilder.Polish().Agent(0.4, 5.6, "…").Customer(…).Build()</c>.</summary>
/// <remarks>
/// Voice activity is derived from the utterance spans unless given explicitly. Defaults: agent "Anna Kowalska"
/// (Polish) or "Petr Svoboda" (Czech), company "Telkom", duration = end of the last utterance.
/// </remarks>
internal sealed class TranscriptBuilder
{
    private readonly List<Utterance> _utterances = [];
    private readonly string _language;
    private string? _agentName;
    private string? _company = "Telkom";
    private double? _duration;
    private VoiceActivity? _activity;

    private TranscriptBuilder(string language, string agentName)
    {
        _language = language;
        _agentName = agentName;
    }

    public static TranscriptBuilder Polish() => new("pl", "Anna Kowalska");

    public static TranscriptBuilder Czech() => new("cs", "Petr Svoboda");

    public TranscriptBuilder Agent(double start, double end, string text) => Add(Speaker.Agent, start, end, text);

    public TranscriptBuilder Customer(double start, double end, string text) => Add(Speaker.Customer, start, end, text);

    /// <summary>An agent utterance the speech model marked unreliable (openai's figures for a window of noise).</summary>
    public TranscriptBuilder AgentUnsure(double start, double end, string text) => AddUnsure(Speaker.Agent, start, end, text);

    /// <summary>A mono-recording utterance the speech model marked unreliable.</summary>
    public TranscriptBuilder UnknownUnsure(double start, double end, string text) => AddUnsure(Speaker.Unknown, start, end, text);

    /// <summary>An utterance of a mono recording, where agent and customer share one channel.</summary>
    public TranscriptBuilder Unknown(double start, double end, string text) => Add(Speaker.Unknown, start, end, text);

    public TranscriptBuilder WithAgentName(string? agentName)
    {
        _agentName = agentName;
        return this;
    }

    public TranscriptBuilder WithCompany(string? company)
    {
        _company = company;
        return this;
    }

    public TranscriptBuilder WithDuration(double seconds)
    {
        _duration = seconds;
        return this;
    }

    public TranscriptBuilder WithActivity(IEnumerable<(double Start, double End)> agent, IEnumerable<(double Start, double End)> customer)
    {
        _activity = new VoiceActivity(
            agent.Select(i => new TimeInterval(i.Start, i.End)).ToArray(),
            customer.Select(i => new TimeInterval(i.Start, i.End)).ToArray(),
            []);
        return this;
    }

    public CallTranscript Build()
    {
        var utterances = _utterances.OrderBy(u => u.Start).ToArray();
        var duration = _duration ?? (utterances.Length == 0 ? 0 : utterances.Max(u => u.End));
        var metadata = new CallMetadata("test-call", "agent-1", _agentName, _company, _language, duration);
        return new CallTranscript(metadata, utterances, _activity ?? VoiceActivity.FromUtterances(utterances));
    }

    private TranscriptBuilder AddUnsure(Speaker speaker, double start, double end, string text)
    {
        _utterances.Add(new Utterance(speaker, start, end, text) { Confidence = new UtteranceConfidence(0.72, -1.3, 1.1, "end_of_text", IsLow: true) });
        return this;
    }

    private TranscriptBuilder Add(Speaker speaker, double start, double end, string text)
    {
        _utterances.Add(new Utterance(speaker, start, end, text));
        return this;
    }
}
