using System.Diagnostics;
using QualityScan.Models;
using QualityScan.Speech.Audio;
using QualityScan.Speech.Transcription;

namespace QualityScan.Pipeline.Batch;

/// <summary>A recording decoded, resampled to 16 kHz, split into agent and customer, with voice activity found.</summary>
/// <param name="Job">The call.</param>
/// <param name="Channels">The speakers' tracks at 16 kHz, as 16-bit samples (see <see cref="SampleTrack"/>).</param>
/// <param name="Activity">Where each party speaks.</param>
/// <param name="DurationSeconds">Length of the recording.</param>
/// <param name="DecodeTime">Time spent decoding and resampling.</param>
/// <param name="VadTime">Time spent detecting voice activity.</param>
public sealed record PreparedCall(
    CallJob Job,
    ChannelRoles Channels,
    VoiceActivity Activity,
    double DurationSeconds,
    TimeSpan DecodeTime,
    TimeSpan VadTime);

/// <summary>Turns a recording into a transcript: decode, channel roles, voice activity, then Whisper on the speech only.</summary>
/// <remarks>
/// <see cref="Prepare"/> is processor work that needs no model, so a batch runs it for the next call while
/// <see cref="TranscribeAsync(PreparedCall, CancellationToken)"/> works on the current one. One processor per transcription worker; the
/// model behind the transcriber is shared. With the language "auto", the transcriber votes for the call's language
/// from the first windows it encodes anyway (the agent's first), among the candidate languages: a detected language
/// costs no encoder pass more than a fixed one.
/// </remarks>
public sealed class CallProcessor
{
    /// <summary>The sample rate Whisper takes.</summary>
    public const int ModelSampleRate = 16000;

    private readonly AudioDecoder _decoder;
    private readonly ISpeechTranscriber _transcriber;
    private readonly ScanSettings _settings;
    private readonly IReadOnlyCollection<string> _candidateLanguages;

    /// <summary>Creates a processor.</summary>
    /// <param name="decoder">The audio decoder.</param>
    /// <param name="transcriber">This worker's transcriber.</param>
    /// <param name="settings">The run's settings.</param>
    /// <param name="candidateLanguages">Languages "auto" may choose among (those with a rule pack); empty: any the model knows.</param>
    public CallProcessor(AudioDecoder decoder, ISpeechTranscriber transcriber, ScanSettings settings, IReadOnlyCollection<string> candidateLanguages)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        ArgumentNullException.ThrowIfNull(transcriber);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(candidateLanguages);
        _decoder = decoder;
        _transcriber = transcriber;
        _settings = settings;
        _candidateLanguages = candidateLanguages;
    }

    /// <summary>This worker's transcription counters.</summary>
    public TranscriptionStats Stats => _transcriber.Stats;

    /// <summary>This worker's transcriber.</summary>
    public ISpeechTranscriber Transcriber => _transcriber;

    /// <summary>Decodes the recording and finds who speaks when.</summary>
    /// <exception cref="UnsupportedAudioException">The recording cannot be decoded.</exception>
    public PreparedCall Prepare(CallJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var watch = Stopwatch.StartNew();
        var audio = _decoder.DecodeTracks(job.AudioPath, ModelSampleRate, cancellationToken);
        if (audio.FrameCount == 0)
        {
            throw new UnsupportedAudioException(job.AudioPath, "no audio samples") { Problem = AudioProblem.NoAudio };
        }

        var channels = ChannelRoles.Assign(audio, AgentChannelFor(job));
        var decodeTime = watch.Elapsed;
        watch.Restart();
        var activity = new VoiceActivityDetector(_settings.Vad).Detect(channels);
        return new PreparedCall(job, channels, activity, audio.DurationSeconds, decodeTime, watch.Elapsed);
    }

    /// <summary>Transcribes each speaker's speech and assembles the call transcript.</summary>
    public Task<CallTranscript> TranscribeAsync(PreparedCall call, CancellationToken cancellationToken) => TranscribeAsync(call, null, cancellationToken);

    /// <summary>Transcribes each speaker's speech; <paramref name="progress"/> hears the fraction of the call done (0 to 1) as segments come.</summary>
    public async Task<CallTranscript> TranscribeAsync(PreparedCall call, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var language = LanguageFor(call.Job);
        var callLanguage = new CallLanguage(_candidateLanguages);
        var options = _settings.Transcription with { Language = language };
        var tracks = call.Channels.Tracks;
        var audio = tracks.Select(track => new TrackAudio(
            track.Samples,
            _settings.UseVoiceActivity ? call.Activity.For(track.Speaker) : [new TimeInterval(0, track.Samples.Length / (double)ModelSampleRate)])).ToList();
        var utterances = new List<Utterance>();
        var reached = new double[tracks.Count];
        await foreach (var segment in _transcriber.TranscribeTracksAsync(audio, options, callLanguage, cancellationToken).ConfigureAwait(false))
        {
            reached[segment.Track] = Math.Max(reached[segment.Track], Math.Min(1, segment.End / Math.Max(call.DurationSeconds, 1e-9)));
            progress?.Report(reached.Average());
            var text = segment.Text.Trim();
            if (text.Length > 0)
            {
                utterances.Add(new Utterance(tracks[segment.Track].Speaker, segment.Start, segment.End, text) { Confidence = segment.Confidence });
            }
        }

        // A call with no speech to hear has nothing to detect from: the first candidate, as a report needs a language.
        language = callLanguage.Code ?? (language == TranscriptionOptions.AutoLanguage ? _candidateLanguages.FirstOrDefault() ?? "pl" : language);
        utterances.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : a.Speaker.CompareTo(b.Speaker));
        var activity = _settings.UseVoiceActivity ? call.Activity : VoiceActivity.FromUtterances(utterances);
        return new CallTranscript(call.Job.ToMetadata(language, call.DurationSeconds), utterances, activity);
    }

    /// <summary>The language a job will be transcribed in before detection: the manifest's, else the run's.</summary>
    public string LanguageFor(CallJob job) => job.Language ?? _settings.Language;

    /// <summary>The channel the agent is on: the manifest's, else the run's.</summary>
    public AgentChannel AgentChannelFor(CallJob job) => job.AgentChannel is { } c ? ChannelRoles.ParseAgentChannel(c) : _settings.AgentChannel;
}
