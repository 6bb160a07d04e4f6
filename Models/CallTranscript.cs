namespace QualityScan.Models;

/// <summary>A call as the analyzers see it: metadata, utterances in time order and voice activity.</summary>
/// <param name="Metadata">Call metadata.</param>
/// <param name="Utterances">Utterances sorted by start time.</param>
/// <param name="Activity">Voice activity per speaker (from the audio, or from utterance spans when absent).</param>
public sealed record CallTranscript(CallMetadata Metadata, IReadOnlyList<Utterance> Utterances, VoiceActivity Activity)
{
    /// <summary>True when agent and customer were told apart (a stereo recording or a labelled transcript).</summary>
    public bool HasSpeakerSeparation => Activity.IsSeparated && Utterances.All(u => u.Speaker != Speaker.Unknown);

    /// <summary>The agent's utterances in time order.</summary>
    public IEnumerable<Utterance> AgentUtterances => Utterances.Where(u => u.Speaker == Speaker.Agent);
}
