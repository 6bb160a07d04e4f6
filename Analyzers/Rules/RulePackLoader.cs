using System.Globalization;
using System.Text.RegularExpressions;
using QualityScan.Analyzers.Learning;
using QualityScan.Analyzers.Matching;
using QualityScan.Models;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace QualityScan.Analyzers.Rules;

/// <summary>
/// Loads and validates rule pack files (<c>Rules/pl.yaml</c>, <c>Rules/cs.yaml</c>), failing fast with a
/// <see cref="RulePackException"/> that names the file, line and key of the first problem.
/// </summary>
/// <remarks>
/// Every key of the schema is required and unknown keys are rejected, so a typo ("weigth") cannot silently
/// fall back to a default. Thresholds must not be negative, weights must be positive, phrase lists
/// (keys ending in <c>_phrases</c>) must not be empty, and every phrase must follow the
/// <see cref="PhrasePattern"/> syntax. The schema is documented in the shipped rule files themselves.
/// </remarks>
public static class RulePackLoader
{
    /// <summary>Largest rule pack file read: 4 MiB (the shipped packs are a few KB; 100,000 pasted phrases are about 2.6 MB).</summary>
    /// <remarks>Loading takes memory in proportion to the file (about 100 bytes per byte of phrases), so a limit keeps a mistaken file from taking the machine.</remarks>
    public const long MaxFileBytes = 4L << 20;

    private static readonly string[] CommonCheckKeys = ["weight", "critical"];

    /// <summary>The folder rule packs are read from by default: <c>Rules</c> beside the application's binaries.</summary>
    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "Rules");

    /// <summary>Loads the rule pack for <paramref name="language"/> ("pl", "cs"; "pl-PL" is read as "pl") from <c>{language}.yaml</c> in <paramref name="rulesDirectory"/>.</summary>
    /// <remarks><paramref name="rulesDirectory"/> defaults to <see cref="DefaultDirectory"/>. The file's <c>language</c> key must agree with its name.</remarks>
    public static RulePack LoadForLanguage(string language, string? rulesDirectory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(language);
        var code = LanguageCode(language);
        var path = Path.Combine(rulesDirectory ?? DefaultDirectory, code + ".yaml");
        var pack = Load(path);
        if (pack.Language != code)
        {
            throw new RulePackException(path, null, "language", $"the file is named for '{code}' but says language: {pack.Language}");
        }

        return pack;
    }

    /// <summary>Loads and validates one rule pack file.</summary>
    public static RulePack Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string text;
        try
        {
            var length = new FileInfo(path).Length;
            if (length > MaxFileBytes)
            {
                throw new RulePackException(path, null, null, string.Create(CultureInfo.InvariantCulture,
                    $"the rule file is too large ({length} bytes, at most {MaxFileBytes}); split the phrase lists or remove pasted duplicates"));
            }

            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RulePackException(path, null, null, $"cannot read the rule file: {e.Message}", e);
        }

        return WithModelBeside(Parse(text, path), LearnedModel.PathBeside(path));
    }

    /// <summary>
    /// Attaches the learned model at <paramref name="modelPath"/> to <paramref name="pack"/> when the file exists and was
    /// trained on the pack's current examples; otherwise the pack goes without one and <see cref="RulePack.ModelNote"/>
    /// says why (the run goes on with the phrases alone rather than stopping the nightly batch).
    /// </summary>
    public static RulePack WithModelBeside(RulePack pack, string modelPath)
    {
        ArgumentNullException.ThrowIfNull(pack);
        ArgumentNullException.ThrowIfNull(modelPath);
        if (!File.Exists(modelPath))
        {
            return pack;
        }

        LearnedModel model;
        try
        {
            model = LearnedModel.Load(modelPath, t => TextFeatures.Of(pack.Normalizer.Normalize(t)));
        }
        catch (LearnedModelException e)
        {
            return pack with { ModelNote = $"learned model not used: {e.Message}" };
        }

        if (model.Language != pack.Language)
        {
            return pack with { ModelNote = $"learned model not used: {modelPath} was trained for '{model.Language}', the rule pack is '{pack.Language}'" };
        }

        if (model.ExamplesHash != pack.Learning.ExamplesHash())
        {
            return pack with
            {
                ModelNote = $"learned model not used: {modelPath} was trained on other examples than {pack.SourcePath} has now; run qualityscan learn --rules {pack.SourcePath} again",
            };
        }

        return pack with { Model = model };
    }

    /// <summary>Parses rule pack <paramref name="yaml"/>; <paramref name="sourceName"/> names it in errors.</summary>
    public static RulePack Parse(string yaml, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceName);
        var root = ReadYaml(yaml, sourceName);
        var file = RuleMap.Root(sourceName, root, "language", "matching", "scoring", "checks", "learning", "privacy", DefinedCheckLoader.Section);

        var language = LanguageCode(file.Text("language"));
        var matchingMap = file.Map("matching", "max_gap_words", "one_edit_from_length", "two_edits_from_length", "filler_words", "negation_words");
        var oneEdit = matchingMap.WholeNumber("one_edit_from_length", 1);
        var twoEdits = matchingMap.WholeNumber("two_edits_from_length", 1);
        if (twoEdits < oneEdit)
        {
            throw matchingMap.ErrorAt(matchingMap.LineOf("two_edits_from_length"), "two_edits_from_length",
                $"must not be below one_edit_from_length ({oneEdit}), got {twoEdits}");
        }

        var matching = new MatchingOptions(matchingMap.WholeNumber("max_gap_words", 0), oneEdit, twoEdits);
        var normalizer = new TextNormalizer(
            Words(matchingMap, "filler_words"),
            Words(matchingMap, "negation_words"));

        var scoringMap = file.Map("scoring", "critical_fail_cap");
        var scoring = new ScoringRules(scoringMap.Between("critical_fail_cap", 0, 100));

        var checks = file.Map("checks", CheckIds.All.ToArray());
        var phrases = new PhraseReader(matching);

        var greetingMap = checks.Map(CheckIds.Greeting, [.. CommonCheckKeys, "window_seconds", "greeting_phrases", "department_phrases", "offer_of_help_phrases"]);
        var greeting = new GreetingRules(
            CheckScoring(greetingMap),
            greetingMap.NonNegative("window_seconds"),
            phrases.Read(greetingMap, "greeting_phrases"),
            phrases.Read(greetingMap, "department_phrases"),
            phrases.Read(greetingMap, "offer_of_help_phrases"));

        var interruptionMap = checks.Map(CheckIds.Interruption, [.. CommonCheckKeys, "min_overlap_seconds", "merge_gap_seconds", "backchannel_words"]);
        var interruption = new InterruptionRules(
            CheckScoring(interruptionMap),
            interruptionMap.NonNegative("min_overlap_seconds"),
            interruptionMap.NonNegative("merge_gap_seconds"),
            new HashSet<string>(Words(interruptionMap, "backchannel_words"), StringComparer.Ordinal));

        var politenessMap = checks.Map(CheckIds.Politeness, [.. CommonCheckKeys, "polite_phrase_required_after_seconds", "polite_phrases", "directive_phrases"]);
        var politeness = new PolitenessRules(
            CheckScoring(politenessMap),
            politenessMap.NonNegative("polite_phrase_required_after_seconds"),
            phrases.Read(politenessMap, "polite_phrases"),
            phrases.Read(politenessMap, "directive_phrases"));

        var dontKnowMap = checks.Map(CheckIds.DontKnow, [.. CommonCheckKeys, "response_window_seconds", "dont_know_phrases", "commitment_phrases", "generic_phrases", "continuation_words"]);
        var dontKnow = new DontKnowRules(
            CheckScoring(dontKnowMap),
            dontKnowMap.NonNegative("response_window_seconds"),
            phrases.Read(dontKnowMap, "dont_know_phrases"),
            phrases.Read(dontKnowMap, "commitment_phrases"),
            phrases.Read(dontKnowMap, "continuation_words", allowEmpty: true))
        {
            GenericPhrases = dontKnowMap.Has("generic_phrases") ? phrases.Read(dontKnowMap, "generic_phrases", allowEmpty: true) : PhraseList.Empty,
        };

        var closingMap = checks.Map(CheckIds.Closing, [.. CommonCheckKeys, "window_seconds", "min_turns", "anything_else_phrases", "thanks_phrases", "farewell_phrases"]);
        var closing = new ClosingRules(
            CheckScoring(closingMap),
            closingMap.NonNegative("window_seconds"),
            closingMap.WholeNumber("min_turns", 0),
            phrases.Read(closingMap, "anything_else_phrases"),
            phrases.Read(closingMap, "thanks_phrases"),
            phrases.Read(closingMap, "farewell_phrases"));

        var learning = file.Has("learning") ? ReadLearning(file.Map("learning", "threshold", "examples")) : LearningRules.None;
        var defined = file.Has(DefinedCheckLoader.Section) ? DefinedCheckLoader.Read(file.MapOfNames(DefinedCheckLoader.Section), phrases) : [];
        var definedExamples = defined.SelectMany(c => c.Examples.Select(e => KeyValuePair.Create(c.LearnedClass(e.Key), e.Value))).ToList();
        if (definedExamples.Count > 0)
        {
            learning = learning with { Examples = learning.Examples.Concat(definedExamples).ToDictionary(StringComparer.Ordinal) };
        }

        return new RulePack(language, sourceName, matching, normalizer, scoring, greeting, interruption, politeness, dontKnow, closing)
        {
            Learning = learning,
            Privacy = file.Has("privacy") ? ReadPrivacy(file.Map("privacy", "safe_after", "safe_patterns")) : PrivacyRules.None,
            DefinedChecks = defined,
        };
    }

    /// <summary>"pl-PL", "PL" and "pl" all give "pl".</summary>
    internal static string LanguageCode(string language)
    {
        var code = language.Trim().ToLowerInvariant();
        var dash = code.IndexOfAny(['-', '_']);
        return dash > 0 ? code[..dash] : code;
    }

    private static YamlNode ReadYaml(string yaml, string sourceName)
    {
        var parser = new KeyTrackingParser(new Parser(new StringReader(yaml)));
        var stream = new YamlStream();
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            var line = e.Start.Line > 0 ? (int)e.Start.Line : parser.LastLine;
            throw new RulePackException(sourceName, line, NullIfEmpty(parser.CurrentPath), $"invalid YAML: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner throws this (without a position) on an unclosed [ or {.
            throw new RulePackException(sourceName, parser.LastLine, NullIfEmpty(parser.CurrentPath),
                "invalid YAML: an unclosed '[', '{' or quote starts here", e);
        }

        if (stream.Documents.Count == 0)
        {
            throw new RulePackException(sourceName, 1, null, "the rule file is empty");
        }

        if (stream.Documents.Count > 1)
        {
            throw new RulePackException(sourceName, (int)stream.Documents[1].RootNode.Start.Line, null, "the rule file must hold one YAML document (remove the extra '---')");
        }

        return stream.Documents[0].RootNode;
    }

    private static LearningRules ReadLearning(RuleMap map)
    {
        var threshold = map.Between("threshold", 0.5, 1);
        var examplesMap = map.Map("examples", [.. PhraseClasses.All, "neutral"]);
        var examples = new Dictionary<string, ClassExamples>(StringComparer.Ordinal);
        foreach (var phraseClass in PhraseClasses.All.Where(examplesMap.Has))
        {
            var classMap = examplesMap.Map(phraseClass, "positive", "negative");
            examples[phraseClass] = new ClassExamples(
                classMap.List("positive", allowEmpty: false).Select(i => i.Value).ToArray(),
                classMap.Has("negative") ? classMap.List("negative", allowEmpty: true).Select(i => i.Value).ToArray() : []);
        }

        var neutral = examplesMap.Has("neutral") ? examplesMap.List("neutral", allowEmpty: true).Select(i => i.Value).ToArray() : [];
        return new LearningRules(threshold, examples, neutral);
    }

    private static PrivacyRules ReadPrivacy(RuleMap map)
    {
        var after = map.Has("safe_after")
            ? map.List("safe_after", allowEmpty: true).Select(i => (IReadOnlyList<string>)TextFolding.Fold(i.Value).Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(w => w.Count > 0).ToList()
            : [];
        var patterns = new List<Regex>();
        foreach (var item in map.Has("safe_patterns") ? map.List("safe_patterns", allowEmpty: true) : [])
        {
            try
            {
                patterns.Add(new Regex(item.Value, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(200)));
            }
            catch (ArgumentException e)
            {
                throw map.ItemError(item, $"not a valid pattern: {e.Message}", e);
            }
        }

        return new PrivacyRules(after, patterns);
    }

    internal static CheckScoring CheckScoring(RuleMap map) => new(map.Positive("weight"), map.Flag("critical"));

    internal static IEnumerable<string> Words(RuleMap map, string key)
    {
        var words = new List<string>();
        foreach (var item in map.List(key, allowEmpty: true))
        {
            var folded = TextFolding.Fold(item.Value);
            if (!folded.All(char.IsLetterOrDigit))
            {
                throw map.ItemError(item, $"'{item.Value}' must be a single word (letters only)");
            }

            words.Add(folded);
        }

        return words;
    }

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;

    internal sealed class PhraseReader(MatchingOptions options)
    {
        public PhraseList Read(RuleMap map, string key, bool allowEmpty = false)
        {
            var patterns = new List<PhrasePattern>();
            foreach (var item in map.List(key, allowEmpty))
            {
                try
                {
                    patterns.Add(PhrasePattern.Parse(item.Value, options));
                }
                catch (PatternSyntaxException e)
                {
                    throw map.ItemError(item, $"{e.Reason} (in \"{item.Value}\")", e);
                }
            }

            return new PhraseList(patterns);
        }
    }
}
