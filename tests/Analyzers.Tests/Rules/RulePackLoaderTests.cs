using QualityScan.Analyzers.Rules;

namespace QualityScan.Analyzers.Tests.Rules;

[TestFixture]
public sealed class RulePackLoaderTests
{
    private const string ValidYaml = """
        language: pl
        matching:
          max_gap_words: 1
          one_edit_from_length: 5
          two_edits_from_length: 9
          filler_words: [eee, yyy]
          negation_words: [nie]
        scoring:
          critical_fail_cap: 50
        checks:
          greeting:
            weight: 25
            critical: false
            window_seconds: 20
            greeting_phrases: [dzień dobry]
            department_phrases: [infolinia]
            offer_of_help_phrases: [w czym mog* pomóc]
          interruption:
            weight: 15
            critical: false
            min_overlap_seconds: 1.0
            merge_gap_seconds: 0.3
            backchannel_words: [mhm, tak]
          politeness:
            weight: 20
            critical: false
            polite_phrase_required_after_seconds: 60
            polite_phrases: [proszę]
            directive_phrases: [musi pan]
          dont_know:
            weight: 20
            critical: true
            response_window_seconds: 15
            dont_know_phrases: [nie wiem]
            commitment_phrases: [sprawdzę]
            continuation_words: [czy]
          closing:
            weight: 20
            critical: false
            window_seconds: 30
            min_turns: 2
            anything_else_phrases: [czy mogę jeszcze w czymś pomóc]
            thanks_phrases: [dziękuję za rozmowę]
            farewell_phrases:
              - do widzenia
              - miłego dnia
        """;

    private readonly List<string> _tempFiles = [];

    [TearDown]
    public void DeleteTempFiles()
    {
        foreach (var file in _tempFiles)
        {
            File.Delete(file);
        }

        _tempFiles.Clear();
    }

    [Test]
    public void Load_ValidFile_ReadsEveryValue()
    {
        var pack = RulePackLoader.Load(Write(ValidYaml));

        Assert.That(pack.Language, Is.EqualTo("pl"), "language key");
        Assert.That(pack.Greeting.Scoring, Is.EqualTo(new CheckScoring(25, false)), "weight and critical of a check");
        Assert.That(pack.DontKnow.Scoring.Critical, Is.True, "critical flag");
        Assert.That(pack.Interruption.MinOverlapSeconds, Is.EqualTo(1.0), "threshold");
        Assert.That(pack.Interruption.BackchannelWords, Is.EquivalentTo(new[] { "mhm", "tak" }), "word list");
        Assert.That(pack.Closing.FarewellPhrases.Patterns.Select(p => p.Source), Is.EqualTo(new[] { "do widzenia", "miłego dnia" }), "block-style phrase list");
        Assert.That(pack.Scoring.CriticalFailCap, Is.EqualTo(50), "scoring section");
    }

    [Test]
    public void Load_InvalidYamlSyntax_NamesFileLineAndKey()
    {
        var error = LoadBroken(ValidYaml.Replace("filler_words: [eee, yyy]", "filler_words: [eee, yyy"));

        Assert.That(error.Line, Is.EqualTo(LineOf(error.FilePath, "filler_words: [eee, yyy")), "points at the unclosed list");
        Assert.That(error.Key, Does.StartWith("matching.filler_words"), "names the key being read");
        Assert.That(error.Problem, Does.Contain("invalid YAML"), "says the file is not valid YAML");
    }

    [Test]
    public void Load_BadIndentation_NamesFileAndLine()
    {
        var error = LoadBroken(ValidYaml.Replace("    critical: true\n", "   critical: true\n"));

        Assert.That(error.Problem, Does.Contain("invalid YAML"), "indentation errors are YAML errors");
        Assert.That(error.Line, Is.EqualTo(LineOf(error.FilePath, "   critical: true")), "points at the mis-indented line");
        Assert.That(error.Key, Does.StartWith("checks.dont_know"), "names the section it was reading");
    }

    [Test]
    public void Load_DuplicateKey_NamesFileAndLine()
    {
        var error = LoadBroken(ValidYaml.Replace("    min_turns: 2\n", "    min_turns: 2\n    min_turns: 3\n"));

        Assert.That(error.Line, Is.EqualTo(LineOf(error.FilePath, "min_turns: 3")), "the second occurrence is the mistake");
        Assert.That(error.Problem, Does.Contain("Duplicate key"), "says what is wrong");
    }

    [Test]
    public void Load_MisspelledKey_ReportsUnknownKey()
    {
        var error = LoadBroken(ValidYaml.Replace("    weight: 25", "    weigth: 25"));

        AssertLocation(error, "weigth: 25", "checks.greeting.weigth");
        Assert.That(error.Problem, Does.Contain("unknown key 'weigth'"), "a typo must not silently fall back to a default");
    }

    [Test]
    public void Load_MissingRequiredKey_NamesItAtItsSection()
    {
        var error = LoadBroken(ValidYaml.Replace("    window_seconds: 30\n", ""));

        AssertLocation(error, "  closing:", "checks.closing.window_seconds");
        Assert.That(error.Problem, Does.Contain("missing required key 'window_seconds'"), "says which key is missing");
    }

    [Test]
    public void Load_MissingSection_NamesIt()
    {
        var error = LoadBroken(ValidYaml.Replace("scoring:\n  critical_fail_cap: 50\n", ""));

        Assert.That(error.Key, Is.EqualTo("scoring"), "the whole section is missing");
        Assert.That(error.Line, Is.EqualTo(1), "reported at the top of the file");
    }

    [TestCase("    weight: 25", "    weight: heavy", "checks.greeting.weight", "expected a number")]
    [TestCase("    weight: 25", "    weight: [25]", "checks.greeting.weight", "expected a number")]
    [TestCase("    critical: false\n    window_seconds: 20", "    critical: maybe\n    window_seconds: 20", "checks.greeting.critical", "expected true or false")]
    [TestCase("    min_turns: 2", "    min_turns: 1.5", "checks.closing.min_turns", "whole number")]
    [TestCase("    polite_phrases: [proszę]", "    polite_phrases: proszę", "checks.politeness.polite_phrases", "expected a list")]
    [TestCase("language: pl", "language: ", "language", "expected a text")]
    public void Load_WrongType_NamesFileLineAndKey(string original, string broken, string key, string problem)
    {
        var error = LoadBroken(ValidYaml.Replace(original, broken));

        AssertLocation(error, broken.Split('\n')[0].Trim(), key);
        Assert.That(error.Problem, Does.Contain(problem), "says what type was expected");
    }

    [TestCase("min_overlap_seconds: 1.0", "min_overlap_seconds: -1", "checks.interruption.min_overlap_seconds")]
    [TestCase("response_window_seconds: 15", "response_window_seconds: -0.5", "checks.dont_know.response_window_seconds")]
    [TestCase("max_gap_words: 1", "max_gap_words: -1", "matching.max_gap_words")]
    public void Load_NegativeThreshold_IsRejected(string original, string broken, string key)
    {
        var error = LoadBroken(ValidYaml.Replace(original, broken));

        AssertLocation(error, broken, key);
        Assert.That(error.Problem, Does.Contain("must not be negative"), "a negative threshold makes no sense");
    }

    [TestCase("0")]
    [TestCase("-5")]
    public void Load_WeightNotPositive_IsRejected(string weight)
    {
        var error = LoadBroken(ValidYaml.Replace("    weight: 15", $"    weight: {weight}"));

        AssertLocation(error, $"weight: {weight}", "checks.interruption.weight");
        Assert.That(error.Problem, Does.Contain("must be positive"), "a check with no weight would never count");
    }

    [Test]
    public void Load_CapOutsideZeroToHundred_IsRejected()
    {
        var error = LoadBroken(ValidYaml.Replace("critical_fail_cap: 50", "critical_fail_cap: 150"));

        AssertLocation(error, "critical_fail_cap: 150", "scoring.critical_fail_cap");
    }

    [Test]
    public void Load_EmptyPhraseList_IsRejected()
    {
        var error = LoadBroken(ValidYaml.Replace("    directive_phrases: [musi pan]", "    directive_phrases: []"));

        AssertLocation(error, "directive_phrases: []", "checks.politeness.directive_phrases");
        Assert.That(error.Problem, Does.Contain("must not be empty"), "an empty phrase list silently disables a check");
    }

    [Test]
    public void Load_EmptyContinuationWords_IsAllowed()
    {
        var pack = RulePackLoader.Load(Write(ValidYaml.Replace("continuation_words: [czy]", "continuation_words: []")));

        Assert.That(pack.DontKnow.ContinuationWords.Patterns, Is.Empty, "no continuation words just means every 'nie wiem' is judged");
    }

    [Test]
    public void Load_MalformedPhrasePattern_NamesTheListItem()
    {
        var error = LoadBroken(ValidYaml.Replace("      - miłego dnia", "      - miłego (dnia"));

        AssertLocation(error, "- miłego (dnia", "checks.closing.farewell_phrases[1]");
        Assert.That(error.Problem, Does.Contain("miłego (dnia"), "quotes the bad pattern");
    }

    [Test]
    public void Load_MultiWordBackchannel_IsRejected()
    {
        var error = LoadBroken(ValidYaml.Replace("backchannel_words: [mhm, tak]", "backchannel_words: [mhm, no tak]"));

        AssertLocation(error, "backchannel_words: [mhm, no tak]", "checks.interruption.backchannel_words[1]");
    }

    [Test]
    public void Load_MissingFile_NamesTheFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"qualityscan-missing-{Guid.NewGuid():N}.yaml");

        var error = Assert.Throws<RulePackException>(() => RulePackLoader.Load(path));

        Assert.That(error!.Message, Does.Contain(path), "the message names the file that could not be read");
    }

    [Test]
    public void Load_EmptyFile_IsRejected()
    {
        var error = LoadBroken("# only a comment\n");

        Assert.That(error.Problem, Does.Contain("empty"), "an empty file is not a rule pack");
    }

    [Test]
    public void LoadForLanguage_FileSaysAnotherLanguage_IsRejected()
    {
        var directory = Directory.CreateTempSubdirectory("qualityscan-rules-").FullName;
        var path = Path.Combine(directory, "cs.yaml");
        File.WriteAllText(path, ValidYaml);
        try
        {
            var error = Assert.Throws<RulePackException>(() => RulePackLoader.LoadForLanguage("cs", directory));

            Assert.That(error!.Key, Is.EqualTo("language"), "a Polish pack saved as cs.yaml would judge Czech calls with Polish phrases");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [TestCase("pl")]
    [TestCase("cs")]
    [TestCase("pl-PL")]
    [TestCase("CS")]
    public void LoadForLanguage_ShippedPack_LoadsFromDefaultFolder(string language)
    {
        var pack = RulePackLoader.LoadForLanguage(language);

        Assert.That(pack.Language, Is.EqualTo(language[..2].ToLowerInvariant()), "shipped packs sit in Rules/ beside the binaries and are valid");
    }

    private RulePackException LoadBroken(string yaml)
    {
        var path = Write(yaml);
        var error = Assert.Throws<RulePackException>(() => RulePackLoader.Load(path));
        Assert.That(error!.FilePath, Is.EqualTo(path), "names the file");
        Assert.That(error.Message, Does.StartWith(path), "the message starts with the file");
        return error;
    }

    private static void AssertLocation(RulePackException error, string lineText, string key)
    {
        var line = LineOf(error.FilePath, lineText);
        Assert.That(error.Line, Is.EqualTo(line), $"the error points at the line holding '{lineText}'");
        Assert.That(error.Key, Is.EqualTo(key), "the error names the key");
        Assert.That(error.Message, Does.Contain($"{error.FilePath}:{line}: {key}:"), "the message reads file:line: key: problem");
    }

    private static int LineOf(string path, string text)
    {
        var lines = File.ReadAllLines(path);
        var index = Array.FindIndex(lines, l => l.Contains(text, StringComparison.Ordinal));
        Assert.That(index, Is.GreaterThanOrEqualTo(0), $"test setup: '{text}' should be in the file");
        return index + 1;
    }

    private string Write(string yaml)
    {
        var path = Path.Combine(Path.GetTempPath(), $"qualityscan-rules-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml);
        _tempFiles.Add(path);
        return path;
    }
}
