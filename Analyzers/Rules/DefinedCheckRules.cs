using QualityScan.Analyzers.Learning;
using QualityScan.Analyzers.Matching;
using QualityScan.Models;

namespace QualityScan.Analyzers.Rules;

/// <summary>
/// A check a QA lead defined in the rule pack's <c>defined_checks</c> section from primitives, run by
/// <see cref="Checks.DefinedCheckAnalyzer"/> without code of its own.
/// </summary>
/// <param name="Id">The check's id (a report column), unique in the pack.</param>
/// <param name="Scoring">Weight and criticality.</param>
/// <param name="Name">The check's name in each report language.</param>
/// <param name="JudgeMono">False: a call without speaker separation is n/a (<c>mono: n/a</c>).</param>
/// <param name="Phrases">The check's own phrase classes by name.</param>
/// <param name="Trigger">What the check judges each occurrence of (<c>when</c>); null judges the whole call once.</param>
/// <param name="NoneIsPass">With a trigger: true when a call without any occurrence passes (<c>if_none: pass</c>), false when it is n/a.</param>
/// <param name="Occurrence">How a finding names one occurrence of the trigger (placeholders from, to, seconds, quote).</param>
/// <param name="Require">The conditions every occurrence (or the call) must meet; with a trigger and none, every occurrence fails.</param>
/// <param name="Notes">Conditions that are reported but do not decide the outcome.</param>
/// <param name="Passed">The summary of a passed call.</param>
/// <param name="None">The summary of a call without an occurrence (with a trigger).</param>
/// <param name="OnlyIf">Without a trigger: a phrase condition that must occur for the check to apply, else n/a.</param>
public sealed record DefinedCheck(
    string Id,
    CheckScoring Scoring,
    LocalText Name,
    bool JudgeMono,
    IReadOnlyDictionary<string, PhraseList> Phrases,
    DefinedTrigger? Trigger,
    bool NoneIsPass,
    LocalText? Occurrence,
    IReadOnlyList<DefinedRule> Require,
    IReadOnlyList<DefinedRule> Notes,
    LocalText Passed,
    LocalText? None,
    DefinedRule? OnlyIf)
{
    /// <summary>
    /// Example sentences per phrase class (the check's <c>examples</c> section), from which the learned layer trains a
    /// classifier named <see cref="LearnedClass"/> that counts where the class's phrases find nothing; empty when none.
    /// </summary>
    public IReadOnlyDictionary<string, ClassExamples> Examples { get; init; } = new Dictionary<string, ClassExamples>();

    /// <summary>The name of <paramref name="phraseClass"/>'s classifier in a learned model: <c>empathy.frustration</c>.</summary>
    public string LearnedClass(string phraseClass) => PhraseClasses.Defined(Id, phraseClass);
}

/// <summary>The kinds of occurrence a defined check can judge one by one.</summary>
public enum TriggerKind
{
    /// <summary>A turn of <see cref="DefinedTrigger.By"/> in which a phrase of the class is said.</summary>
    Said,

    /// <summary>A stretch of at least <see cref="DefinedTrigger.MinSeconds"/> in which nobody speaks.</summary>
    Pause,

    /// <summary>One party speaking at least <see cref="DefinedTrigger.MinSeconds"/> with only backchannels from the other.</summary>
    Monologue,

    /// <summary>Both parties speaking at once for at least <see cref="DefinedTrigger.MinSeconds"/>.</summary>
    Overlap,
}

/// <summary>The occurrences a defined check judges (<c>when</c>).</summary>
/// <param name="Kind">What occurs.</param>
/// <param name="PhraseClass">The phrase class (said).</param>
/// <param name="By">Whose turns (said, monologue).</param>
/// <param name="MinSeconds">Shortest occurrence (pause, monologue, overlap).</param>
/// <param name="MaxGapSeconds">Monologue: a silence this long or longer ends the stretch.</param>
/// <param name="Backchannels">Monologue: words of the other party that do not break the stretch.</param>
public sealed record DefinedTrigger(TriggerKind Kind, string? PhraseClass, Speaker By, double MinSeconds, double MaxGapSeconds, IReadOnlySet<string> Backchannels);

/// <summary>What a condition asks.</summary>
public enum RuleKind
{
    /// <summary>A phrase of the class must be said in the scope.</summary>
    Say,

    /// <summary>No phrase of the class may be said in the scope.</summary>
    Never,

    /// <summary>The party's share of the talk time must lie between a minimum and a maximum.</summary>
    TalkShare,
}

/// <summary>Where a phrase condition looks.</summary>
public enum RuleScope
{
    /// <summary>The whole call.</summary>
    Anywhere,

    /// <summary>The party's last N turns before the occurrence.</summary>
    TurnsBefore,

    /// <summary>The party's first N turns after the occurrence starts.</summary>
    TurnsAfter,

    /// <summary>The party's words in the N seconds before the occurrence.</summary>
    SecondsBefore,

    /// <summary>The party's words in the N seconds after the occurrence.</summary>
    SecondsAfter,

    /// <summary>The party's first N turns of the call.</summary>
    FirstTurns,

    /// <summary>The party's last N turns of the call.</summary>
    LastTurns,

    /// <summary>Turns starting within N seconds of the start of the call (its first speech).</summary>
    FirstSeconds,

    /// <summary>Turns ending within N seconds of the end of the call (its last speech).</summary>
    LastSeconds,
}

/// <summary>One condition of a defined check.</summary>
/// <param name="Kind">Say, never or talk share.</param>
/// <param name="PhraseClass">The phrase class (say, never).</param>
/// <param name="By">Whose words or talk time.</param>
/// <param name="Scope">Where to look (say, never).</param>
/// <param name="Amount">The N of the scope.</param>
/// <param name="Min">Talk share: lowest allowed share (0-1).</param>
/// <param name="Max">Talk share: highest allowed share (0-1).</param>
/// <param name="Fail">The words of a failed condition (in a note: the words when the phrase is missing).</param>
/// <param name="Found">In a note: the words when the phrase was said; null in a requirement.</param>
/// <param name="Path">The key path in the rule file, for errors.</param>
public sealed record DefinedRule(RuleKind Kind, string? PhraseClass, Speaker By, RuleScope Scope, double Amount, double Min, double Max, LocalText Fail, LocalText? Found, string Path);
