namespace QualityScan.Speech.Transcription;

/// <summary>A language code the model has no language token for.</summary>
public sealed class UnknownLanguageException : ArgumentException
{
    /// <summary>Creates the error for <paramref name="code"/>, listing the codes the model knows.</summary>
    public UnknownLanguageException(string code, IReadOnlyList<string> availableCodes)
        : base($"The model has no language '{code}'. Available: {string.Join(", ", availableCodes)}, or 'auto' to detect it.")
    {
        Code = code;
        AvailableCodes = availableCodes;
    }

    /// <summary>The code that was asked for.</summary>
    public string Code { get; }

    /// <summary>The codes the model knows, in the model's order.</summary>
    public IReadOnlyList<string> AvailableCodes { get; }
}
