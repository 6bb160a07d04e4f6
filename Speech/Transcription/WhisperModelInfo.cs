using System.Globalization;

namespace QualityScan.Speech.Transcription;

/// <summary>
/// The dimensions and special tokens of a Whisper model, read from the encoder's ONNX custom metadata
/// (the keys sherpa-onnx's Whisper export writes).
/// </summary>
public sealed record WhisperModelInfo
{
    /// <summary>Mel bins of the input features (<c>n_mels</c>): 80, or 128 for large-v3.</summary>
    public required int MelBins { get; init; }

    /// <summary>Audio positions the encoder produces for one 30 s window (<c>n_audio_ctx</c>, 1500).</summary>
    public required int AudioContext { get; init; }

    /// <summary>Width of the encoder (<c>n_audio_state</c>).</summary>
    public required int AudioState { get; init; }

    /// <summary>Decoder layers (<c>n_text_layer</c>); the first dimension of every cache tensor.</summary>
    public required int TextLayers { get; init; }

    /// <summary>Decoder positions (<c>n_text_ctx</c>, 448): prompt plus generated tokens cannot exceed it.</summary>
    public required int TextContext { get; init; }

    /// <summary>Width of the decoder and of the cross-attention keys and values (<c>n_text_state</c>).</summary>
    public required int TextState { get; init; }

    /// <summary>Attention heads of the text decoder (<c>n_text_head</c>); 0 when the metadata does not say.</summary>
    public int TextHeads { get; init; }

    /// <summary>Logits per position (<c>n_vocab</c>).</summary>
    public required int VocabularySize { get; init; }

    /// <summary>Start of transcript (<c>sot</c>).</summary>
    public required int StartOfTranscript { get; init; }

    /// <summary>End of text (<c>eot</c>); every id below it is a text token.</summary>
    public required int EndOfText { get; init; }

    /// <summary>The model's default start sequence (<c>sot_sequence</c>: sot, a language, a task).</summary>
    public required IReadOnlyList<int> StartOfTranscriptSequence { get; init; }

    /// <summary>Language tokens (<c>all_language_tokens</c>), parallel to <see cref="LanguageCodes"/>.</summary>
    public required IReadOnlyList<int> LanguageTokens { get; init; }

    /// <summary>Language codes (<c>all_language_codes</c>), e.g. "pl", "cs".</summary>
    public required IReadOnlyList<string> LanguageCodes { get; init; }

    /// <summary>Task token for transcription (<c>transcribe</c>).</summary>
    public required int Transcribe { get; init; }

    /// <summary>Task token for translation to English (<c>translate</c>).</summary>
    public required int Translate { get; init; }

    /// <summary>Token that turns timestamp prediction off (<c>no_timestamps</c>); timestamp tokens start right after it.</summary>
    public required int NoTimestamps { get; init; }

    /// <summary>No-speech token (<c>no_speech</c>).</summary>
    public required int NoSpeech { get; init; }

    /// <summary>Start of previous-text prompt (<c>sot_prev</c>).</summary>
    public required int StartOfPrevious { get; init; }

    /// <summary>Start of language-model prompt (<c>sot_lm</c>).</summary>
    public required int StartOfLm { get; init; }

    /// <summary>The blank (space) token (<c>blank_id</c>).</summary>
    public required int BlankId { get; init; }

    /// <summary>Tokens of symbols that are never speech (<c>non_speech_tokens</c>); may be empty.</summary>
    public required IReadOnlyList<int> NonSpeechTokens { get; init; }

    /// <summary>The model's name in its metadata (<c>model_type</c>), or null.</summary>
    public string? ModelType { get; init; }

    /// <summary>
    /// False for English-only exports: <c>is_multilingual</c> 0, or a <c>model_type</c> naming a <c>.en</c> or distil
    /// model. Such a model still lists language tokens, but feeding it <c>&lt;|pl|&gt;</c> gives English-flavoured
    /// nonsense, so <see cref="CheckCanTranscribe"/> refuses every language but English.
    /// </summary>
    public bool IsMultilingual { get; init; } = true;

    /// <summary>Position of <c>sot</c> in the prompt (<c>sot_index</c>, 0): where the no-speech probability is read.</summary>
    public int StartOfTranscriptIndex { get; init; }

    /// <summary>First timestamp token (<c>no_timestamps + 1</c>).</summary>
    public int TimestampBegin => NoTimestamps + 1;

    /// <summary>The raw metadata map the values came from.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>The prompt that transcribes in a language without timestamps: sot, language, transcribe, no_timestamps.</summary>
    public IReadOnlyList<int> TranscriptionPrompt(int languageToken) => [StartOfTranscript, languageToken, Transcribe, NoTimestamps];

    /// <summary>The transcription prompt with or without timestamps (with: sot, language, transcribe).</summary>
    public IReadOnlyList<int> TranscriptionPrompt(int languageToken, bool timestamps) =>
        timestamps ? [StartOfTranscript, languageToken, Transcribe] : TranscriptionPrompt(languageToken);

    /// <summary>The language token of <paramref name="code"/> (case-insensitive).</summary>
    /// <exception cref="UnknownLanguageException">The model has no such language.</exception>
    public int GetLanguageToken(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        var trimmed = code.Trim();
        for (var i = 0; i < LanguageCodes.Count; i++)
        {
            if (string.Equals(LanguageCodes[i], trimmed, StringComparison.OrdinalIgnoreCase))
            {
                return LanguageTokens[i];
            }
        }

        throw new UnknownLanguageException(code, LanguageCodes);
    }

    /// <summary>Refuses a language this model cannot transcribe, before any work is done.</summary>
    /// <exception cref="InvalidModelException">An English-only model asked for another language.</exception>
    /// <exception cref="UnknownLanguageException">The model has no such language.</exception>
    public void CheckCanTranscribe(string code, string source)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (string.Equals(code.Trim(), TranscriptionOptions.AutoLanguage, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        if (!IsMultilingual && !string.Equals(code.Trim(), "en", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidModelException(source,
                $"this is an English-only Whisper export (model_type '{ModelType ?? "unknown"}', is_multilingual {(Metadata.TryGetValue("is_multilingual", out var m) ? m : "absent")}); " +
                $"it cannot transcribe '{code.Trim()}'. Use a multilingual model (tiny, base, small, medium, large-v3, turbo): see 'qualityscan models list'.");
        }

        GetLanguageToken(code);
    }

    /// <summary>The code of language token <paramref name="token"/>.</summary>
    public string GetLanguageCode(int token)
    {
        for (var i = 0; i < LanguageTokens.Count; i++)
        {
            if (LanguageTokens[i] == token)
            {
                return LanguageCodes[i];
            }
        }

        throw new ArgumentOutOfRangeException(nameof(token), token, "Not a language token of this model.");
    }

    /// <summary>Reads the model facts from a metadata map.</summary>
    /// <param name="metadata">The encoder's custom metadata.</param>
    /// <param name="source">The file the metadata came from, for error messages.</param>
    /// <exception cref="InvalidModelException">A key is missing or malformed, or the values contradict each other.</exception>
    public static WhisperModelInfo FromMetadata(IReadOnlyDictionary<string, string> metadata, string source)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(source);

        int Int(string key)
        {
            if (!metadata.TryGetValue(key, out var text))
            {
                throw new InvalidModelException(source, $"the metadata key '{key}' is missing; this is not a Whisper export in the expected layout.");
            }

            return int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw new InvalidModelException(source, $"the metadata key '{key}' is '{text}', not an integer.");
        }

        IReadOnlyList<string> Strings(string key, bool required)
        {
            if (!metadata.TryGetValue(key, out var text))
            {
                return required
                    ? throw new InvalidModelException(source, $"the metadata key '{key}' is missing; this is not a Whisper export in the expected layout.")
                    : [];
            }

            return text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        }

        IReadOnlyList<int> Ints(string key, bool required) =>
            Strings(key, required)
                .Select(item => int.TryParse(item, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
                    ? value
                    : throw new InvalidModelException(source, $"the metadata key '{key}' holds '{item}', not an integer."))
                .ToArray();

        var textState = Int("n_text_state");
        var info = new WhisperModelInfo
        {
            MelBins = Int("n_mels"),
            AudioContext = Int("n_audio_ctx"),
            AudioState = metadata.ContainsKey("n_audio_state") ? Int("n_audio_state") : textState,
            TextLayers = Int("n_text_layer"),
            TextContext = Int("n_text_ctx"),
            TextState = textState,
            TextHeads = metadata.ContainsKey("n_text_head") ? Int("n_text_head") : 0,
            VocabularySize = Int("n_vocab"),
            StartOfTranscript = Int("sot"),
            EndOfText = Int("eot"),
            StartOfTranscriptSequence = Ints("sot_sequence", required: true),
            LanguageTokens = Ints("all_language_tokens", required: true),
            LanguageCodes = Strings("all_language_codes", required: true),
            Transcribe = Int("transcribe"),
            Translate = Int("translate"),
            NoTimestamps = Int("no_timestamps"),
            NoSpeech = Int("no_speech"),
            StartOfPrevious = Int("sot_prev"),
            StartOfLm = Int("sot_lm"),
            BlankId = Int("blank_id"),
            NonSpeechTokens = Ints("non_speech_tokens", required: false),
            ModelType = metadata.TryGetValue("model_type", out var type) ? type : null,
            IsMultilingual = ReadMultilingual(metadata, source),
            StartOfTranscriptIndex = metadata.ContainsKey("sot_index") ? Int("sot_index") : 0,
            Metadata = new Dictionary<string, string>(metadata),
        };
        info.Check(source);
        return info;
    }

    private static bool ReadMultilingual(IReadOnlyDictionary<string, string> metadata, string source)
    {
        if (metadata.TryGetValue("model_type", out var type))
        {
            var name = type.Trim().ToLowerInvariant();
            if (name.EndsWith(".en", StringComparison.Ordinal) || name.Contains(".en-", StringComparison.Ordinal) || name.Contains("distil", StringComparison.Ordinal))
            {
                return false;
            }
        }

        if (!metadata.TryGetValue("is_multilingual", out var text))
        {
            return true;
        }

        return text.Trim() switch
        {
            "1" or "true" or "True" => true,
            "0" or "false" or "False" => false,
            _ => throw new InvalidModelException(source, $"the metadata key 'is_multilingual' is '{text}', expected 0 or 1."),
        };
    }

    private void Check(string source)
    {
        void Positive(int value, string key)
        {
            if (value <= 0)
            {
                throw new InvalidModelException(source, $"the metadata key '{key}' must be positive, not {value}.");
            }
        }

        void Token(int value, string key)
        {
            if (value < 0 || value >= VocabularySize)
            {
                throw new InvalidModelException(source, $"the metadata key '{key}' ({value}) is outside the vocabulary of {VocabularySize} tokens.");
            }
        }

        Positive(MelBins, "n_mels");
        Positive(AudioContext, "n_audio_ctx");
        Positive(AudioState, "n_audio_state");
        Positive(TextLayers, "n_text_layer");
        Positive(TextContext, "n_text_ctx");
        Positive(TextState, "n_text_state");
        Positive(VocabularySize, "n_vocab");
        Token(StartOfTranscript, "sot");
        Token(EndOfText, "eot");
        Token(Transcribe, "transcribe");
        Token(Translate, "translate");
        Token(NoTimestamps, "no_timestamps");
        Token(NoSpeech, "no_speech");
        Token(StartOfPrevious, "sot_prev");
        Token(StartOfLm, "sot_lm");
        Token(BlankId, "blank_id");
        foreach (var token in StartOfTranscriptSequence)
        {
            Token(token, "sot_sequence");
        }

        foreach (var token in LanguageTokens)
        {
            Token(token, "all_language_tokens");
        }

        foreach (var token in NonSpeechTokens)
        {
            Token(token, "non_speech_tokens");
        }

        if (LanguageTokens.Count != LanguageCodes.Count)
        {
            throw new InvalidModelException(source,
                $"'all_language_tokens' has {LanguageTokens.Count} entries but 'all_language_codes' has {LanguageCodes.Count}; they must be parallel lists.");
        }

        if (StartOfTranscriptIndex < 0 || StartOfTranscriptIndex >= StartOfTranscriptSequence.Count)
        {
            throw new InvalidModelException(source, $"'sot_index' is {StartOfTranscriptIndex}, outside the sot_sequence of {StartOfTranscriptSequence.Count} tokens.");
        }

        if (TextContext < 8)
        {
            throw new InvalidModelException(source, $"'n_text_ctx' is {TextContext}; a prompt alone needs 4 positions.");
        }
    }
}
