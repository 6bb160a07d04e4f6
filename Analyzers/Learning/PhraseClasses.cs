namespace QualityScan.Analyzers.Learning;

/// <summary>
/// The phrase classes the checks look for, by the names used in a rule pack's <c>learning.examples</c> section and in
/// a learned model file. Each class gets its own text classifier per language.
/// </summary>
public static class PhraseClasses
{
    /// <summary>Offer of help in the greeting ("w czym mogę pomóc").</summary>
    public const string OfferOfHelp = "offer_of_help";

    /// <summary>A next step after "nie wiem" ("sprawdzę i oddzwonię").</summary>
    public const string Commitment = "commitment";

    /// <summary>A polite phrase ("proszę", "przepraszam za czekanie").</summary>
    public const string Polite = "polite";

    /// <summary>Directive phrasing the standard asks agents to avoid ("musi Pan").</summary>
    public const string Directive = "directive";

    /// <summary>The closing's "anything else?" question.</summary>
    public const string AnythingElse = "anything_else";

    /// <summary>Thanks for the call.</summary>
    public const string Thanks = "thanks";

    /// <summary>A farewell.</summary>
    public const string Farewell = "farewell";

    /// <summary>Every class, in rule-pack order.</summary>
    public static IReadOnlyList<string> All { get; } = [OfferOfHelp, Commitment, Polite, Directive, AnythingElse, Thanks, Farewell];

    /// <summary>
    /// The name of the learned classifier for phrase class <paramref name="phraseClass"/> of the pack-defined check
    /// <paramref name="checkId"/> ("empathy.frustration"); the dot keeps it apart from the mission classes above.
    /// </summary>
    public static string Defined(string checkId, string phraseClass) => $"{checkId}.{phraseClass}";

    /// <summary>True for a name <see cref="Defined"/> makes (check id, a dot, phrase class: lower-case letters, digits, _).</summary>
    public static bool IsDefined(string name) =>
        name.Split('.') is [{ Length: > 0 } check, { Length: > 0 } phraseClass] && check.All(IsNameChar) && phraseClass.All(IsNameChar);

    /// <summary>Sort order of classes in a model: the mission classes in <see cref="All"/> order, then defined ones by name.</summary>
    public static int Order(string phraseClass)
    {
        for (var i = 0; i < All.Count; i++)
        {
            if (All[i] == phraseClass)
            {
                return i;
            }
        }

        return int.MaxValue;
    }

    private static bool IsNameChar(char c) => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_';

    /// <summary>The check that uses <paramref name="phraseClass"/>.</summary>
    public static string CheckOf(string phraseClass) => phraseClass switch
    {
        OfferOfHelp => Models.CheckIds.Greeting,
        Commitment => Models.CheckIds.DontKnow,
        Polite or Directive => Models.CheckIds.Politeness,
        AnythingElse or Thanks or Farewell => Models.CheckIds.Closing,
        _ when IsDefined(phraseClass) => phraseClass[..phraseClass.IndexOf('.', StringComparison.Ordinal)],
        _ => throw new ArgumentOutOfRangeException(nameof(phraseClass), phraseClass, "Unknown phrase class."),
    };

    /// <summary>The classes a check uses (empty for the interruption check, which judges voice activity).</summary>
    public static IReadOnlyList<string> Of(string checkId) => All.Where(c => CheckOf(c) == checkId).ToArray();
}
