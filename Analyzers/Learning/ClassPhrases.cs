using QualityScan.Analyzers.Matching;
using QualityScan.Analyzers.Rules;

namespace QualityScan.Analyzers.Learning;

/// <summary>
/// The rule pack's phrase lists per phrase class, applied the way the checks apply them (a negated polite phrase,
/// directive or commitment does not count; a commitment inside a generic invitation does not count).
/// </summary>
public static class ClassPhrases
{
    /// <summary>True when the pack's phrases for <paramref name="phraseClass"/> find an instance in <paramref name="text"/>.</summary>
    public static bool Matches(RulePack pack, string phraseClass, NormalizedText text)
    {
        ArgumentNullException.ThrowIfNull(pack);
        ArgumentNullException.ThrowIfNull(text);
        return phraseClass switch
        {
            PhraseClasses.OfferOfHelp => pack.Greeting.OffersOfHelp.FindFirst(text) is not null,
            PhraseClasses.Commitment => FindCommitment(pack.DontKnow, text, 0) is not null,
            PhraseClasses.Polite => pack.Politeness.PolitePhrases.FindAll(text).Any(m => !text.IsNegated(m.FirstWord)),
            PhraseClasses.Directive => pack.Politeness.DirectivePhrases.FindAll(text).Any(m => !text.IsNegated(m.FirstWord)),
            PhraseClasses.AnythingElse => pack.Closing.AnythingElsePhrases.FindFirst(text) is not null,
            PhraseClasses.Thanks => pack.Closing.ThanksPhrases.FindFirst(text) is not null,
            PhraseClasses.Farewell => pack.Closing.FarewellPhrases.FindFirst(text) is not null,
            _ when DefinedPhrases(pack, phraseClass) is { } phrases => phrases.FindFirst(text) is not null,
            _ => throw new ArgumentOutOfRangeException(nameof(phraseClass), phraseClass, "Unknown phrase class."),
        };
    }

    /// <summary>The phrase list behind a pack-defined check's learned class ("empathy.frustration"), or null.</summary>
    public static PhraseList? DefinedPhrases(RulePack pack, string learnedClass)
    {
        ArgumentNullException.ThrowIfNull(pack);
        return pack.DefinedChecks
            .SelectMany(c => c.Phrases.Select(p => (Name: c.LearnedClass(p.Key), List: p.Value)))
            .FirstOrDefault(p => p.Name == learnedClass).List;
    }

    /// <summary>
    /// The first commitment phrase at or after word <paramref name="fromWord"/> that is a real next step: not right after
    /// a negation ("nie sprawdzę") and not wholly inside a generic invitation or "cannot" formula ("zapraszam do kontaktu
    /// z nami", "nie da się tego ustalić"); null when there is none.
    /// </summary>
    public static PhraseMatch? FindCommitment(DontKnowRules rules, NormalizedText text, int fromWord)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(text);
        var generic = rules.GenericPhrases.FindAll(text);
        var from = fromWord;
        while (rules.CommitmentPhrases.FindFirst(text, from) is { } match)
        {
            var insideGeneric = generic.Any(g => g.FirstWord <= match.FirstWord && match.LastWord <= g.LastWord);
            if (!insideGeneric && !text.IsNegated(match.FirstWord))
            {
                return match;
            }

            from = match.FirstWord + 1;
        }

        return null;
    }
}
