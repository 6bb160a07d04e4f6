using QualityScan.Analyzers.Learning;
using QualityScan.Analyzers.Matching;
using QualityScan.Models;

namespace QualityScan.Analyzers.Rules;

/// <summary>
/// Reads the <c>defined_checks</c> section of a rule pack: checks written from primitives (phrase conditions, ordered
/// pairs around an occurrence, pauses, monologues, overlaps, talk-time share), validated like the rest of the pack so
/// that a broken definition stops the run at start with file, line and key.
/// </summary>
internal static class DefinedCheckLoader
{
    /// <summary>The section's key at the top of a rule file.</summary>
    public const string Section = "defined_checks";

    /// <summary>The report languages every text of a defined check must be given in.</summary>
    public static readonly string[] Languages = ["pl", "cs", "en"];

    private static readonly string[] CheckKeys =
        ["weight", "critical", "name", "mono", "phrases", "examples", "when", "if_none", "only_if", "occurrence", "require", "note", "passed", "none"];

    private static readonly string[] RuleKeys =
        ["say", "never", "talk_share", "by", "turns_before", "turns_after", "seconds_before", "seconds_after",
         "first_turns", "last_turns", "first_seconds", "last_seconds", "min", "max", "fail", "found", "missing"];

    private static readonly (string Key, RuleScope Scope)[] Scopes =
    [
        ("turns_before", RuleScope.TurnsBefore), ("turns_after", RuleScope.TurnsAfter),
        ("seconds_before", RuleScope.SecondsBefore), ("seconds_after", RuleScope.SecondsAfter),
        ("first_turns", RuleScope.FirstTurns), ("last_turns", RuleScope.LastTurns),
        ("first_seconds", RuleScope.FirstSeconds), ("last_seconds", RuleScope.LastSeconds),
    ];

    /// <summary>The placeholders a defined check's texts may use.</summary>
    public static readonly string[] Placeholders = ["from", "to", "seconds", "quote", "turn"];

    /// <summary>Reads every check of the section.</summary>
    public static IReadOnlyList<DefinedCheck> Read(RuleMap section, RulePackLoader.PhraseReader phrases)
    {
        var checks = new List<DefinedCheck>();
        foreach (var id in section.Keys)
        {
            if (CheckIds.All.Contains(id, StringComparer.Ordinal))
            {
                throw section.ErrorAt(section.LineOf(id), id, $"'{id}' is a built-in check; give the defined check another id");
            }

            checks.Add(ReadCheck(id, section.Map(id, CheckKeys), phrases));
        }

        return checks;
    }

    private static DefinedCheck ReadCheck(string id, RuleMap map, RulePackLoader.PhraseReader phrases)
    {
        var classes = new Dictionary<string, PhraseList>(StringComparer.Ordinal);
        if (map.Has("phrases"))
        {
            var phraseMap = map.MapOfNames("phrases");
            foreach (var name in phraseMap.Keys)
            {
                classes[name] = phrases.Read(phraseMap, name);
            }
        }

        var mono = !map.Has("mono") || Choice(map, "mono", "judge", "n/a") == "judge";
        DefinedTrigger? trigger = map.Has("when") ? ReadTrigger(map.Map("when", "said", "pause", "monologue", "overlap"), classes) : null;
        if (trigger is null)
        {
            foreach (var key in new[] { "if_none", "occurrence", "none" }.Where(map.Has))
            {
                throw map.ErrorAt(map.LineOf(key), key, "only a check with 'when' (an occurrence to judge) may have this key");
            }
        }
        else if (map.Has("only_if"))
        {
            throw map.ErrorAt(map.LineOf("only_if"), "only_if", "a check with 'when' is n/a when nothing occurs (if_none); use only_if on a check without 'when'");
        }

        var require = map.Maps("require", RuleKeys).Select(r => ReadRule(r, classes, trigger, note: false)).ToArray();
        var notes = map.Has("note") ? map.Maps("note", RuleKeys).Select(r => ReadRule(r, classes, trigger, note: true)).ToArray() : [];
        if (trigger is null && require.Length == 0)
        {
            throw map.ErrorAt(map.LineOf("require"), "require", "a check without 'when' needs at least one condition");
        }

        DefinedRule? onlyIf = null;
        if (map.Has("only_if"))
        {
            var onlyIfMap = map.Maps("only_if", RuleKeys);
            if (onlyIfMap.Count != 1)
            {
                throw map.ErrorAt(map.LineOf("only_if"), "only_if", "expected exactly one condition (- say: phrase_class, by: customer)");
            }

            onlyIf = ReadRule(onlyIfMap[0], classes, null, note: true, needsTexts: false);
            if (onlyIf.Kind != RuleKind.Say)
            {
                throw map.ErrorAt(map.LineOf("only_if"), "only_if", "only a 'say' condition can make the check apply");
            }
        }

        return new DefinedCheck(
            id,
            RulePackLoader.CheckScoring(map),
            Texts(map, "name", []),
            mono,
            classes,
            trigger,
            trigger is not null && map.Has("if_none") && Choice(map, "if_none", "n/a", "pass") == "pass",
            trigger is null ? null : Texts(map, "occurrence", Placeholders),
            require,
            notes,
            Texts(map, "passed", []),
            trigger is null ? null : Texts(map, "none", []),
            onlyIf)
        {
            Examples = map.Has("examples") ? ReadExamples(map.MapOfNames("examples"), classes) : new Dictionary<string, ClassExamples>(),
        };
    }

    /// <summary>The check's <c>examples</c>: per phrase class of its own, positive sentences and near misses for the learned layer.</summary>
    private static Dictionary<string, ClassExamples> ReadExamples(RuleMap examples, IReadOnlyDictionary<string, PhraseList> classes)
    {
        var result = new Dictionary<string, ClassExamples>(StringComparer.Ordinal);
        foreach (var name in examples.Keys)
        {
            var classMap = examples.Map(name, "positive", "negative");
            if (!classes.ContainsKey(name))
            {
                throw examples.ErrorAt(classMap.OwnLine, name, classes.Count == 0
                    ? $"examples for unknown phrase class '{name}': the check has no 'phrases' section"
                    : $"examples for unknown phrase class '{name}'; the check's phrases are: {string.Join(", ", classes.Keys)}");
            }

            result[name] = new ClassExamples(
                classMap.List("positive", allowEmpty: false).Select(i => i.Value).ToArray(),
                classMap.Has("negative") ? classMap.List("negative", allowEmpty: true).Select(i => i.Value).ToArray() : []);
        }

        return result;
    }

    private static DefinedTrigger ReadTrigger(RuleMap when, IReadOnlyDictionary<string, PhraseList> classes)
    {
        if (when.Keys.Count != 1)
        {
            throw when.ErrorAt(when.OwnLine, when.KeyPath(""), "expected exactly one of: said, pause, monologue, overlap");
        }

        var kind = when.Keys[0];
        switch (kind)
        {
            case "said":
                var said = when.Map("said", "phrases", "by");
                return new DefinedTrigger(TriggerKind.Said, PhraseClass(said, "phrases", classes), Party(said), 0, 0, EmptyWords);
            case "pause":
                var pause = when.Map("pause", "min_seconds");
                return new DefinedTrigger(TriggerKind.Pause, null, Speaker.Unknown, pause.Positive("min_seconds"), 0, EmptyWords);
            case "monologue":
                var monologue = when.Map("monologue", "by", "min_seconds", "max_gap_seconds", "backchannel_words");
                return new DefinedTrigger(
                    TriggerKind.Monologue,
                    null,
                    Party(monologue),
                    monologue.Positive("min_seconds"),
                    monologue.Positive("max_gap_seconds"),
                    new HashSet<string>(RulePackLoader.Words(monologue, "backchannel_words"), StringComparer.Ordinal));
            default:
                var overlap = when.Map("overlap", "min_seconds");
                return new DefinedTrigger(TriggerKind.Overlap, null, Speaker.Unknown, overlap.Positive("min_seconds"), 0, EmptyWords);
        }
    }

    private static DefinedRule ReadRule(RuleMap rule, IReadOnlyDictionary<string, PhraseList> classes, DefinedTrigger? trigger, bool note, bool needsTexts = true)
    {
        var kinds = new[] { "say", "never", "talk_share" }.Where(rule.Has).ToArray();
        if (kinds.Length != 1)
        {
            throw rule.ErrorAt(rule.OwnLine, rule.KeyPath("say"), "a condition needs exactly one of: say, never, talk_share");
        }

        var kind = kinds[0] switch { "say" => RuleKind.Say, "never" => RuleKind.Never, _ => RuleKind.TalkShare };
        if (note && kind != RuleKind.Say)
        {
            throw rule.ErrorAt(rule.OwnLine, rule.KeyPath(kinds[0]), "a note can only report whether a phrase was said (say)");
        }

        var scopes = Scopes.Where(s => rule.Has(s.Key)).ToArray();
        if (scopes.Length > 1 || (kind == RuleKind.TalkShare && scopes.Length > 0))
        {
            throw rule.ErrorAt(rule.LineOf(scopes[^1].Key), scopes[^1].Key, kind == RuleKind.TalkShare
                ? "talk_share is over the whole call and takes no scope"
                : $"at most one of {string.Join(", ", Scopes.Select(s => s.Key))}");
        }

        var scope = scopes.Length == 0 ? RuleScope.Anywhere : scopes[0].Scope;
        var relative = scope is RuleScope.TurnsBefore or RuleScope.TurnsAfter or RuleScope.SecondsBefore or RuleScope.SecondsAfter;
        if (relative && trigger is null)
        {
            throw rule.ErrorAt(rule.LineOf(scopes[0].Key), scopes[0].Key, "is relative to an occurrence: the check needs 'when'");
        }

        var amount = scope switch
        {
            RuleScope.Anywhere => 0,
            RuleScope.TurnsBefore or RuleScope.TurnsAfter or RuleScope.FirstTurns or RuleScope.LastTurns => rule.WholeNumber(scopes[0].Key, 1),
            _ => rule.Positive(scopes[0].Key),
        };

        var phraseClass = kind == RuleKind.TalkShare ? null : PhraseClass(rule, kinds[0], classes);
        double min = 0, max = 1;
        if (kind == RuleKind.TalkShare)
        {
            phraseClass = null;
            var by = rule.Text("talk_share");
            if (by is not ("agent" or "customer"))
            {
                throw rule.ErrorAt(rule.LineOf("talk_share"), "talk_share", $"expected agent or customer, got '{by}'");
            }

            min = rule.Has("min") ? rule.Between("min", 0, 1) : 0;
            max = rule.Has("max") ? rule.Between("max", 0, 1) : 1;
            if (min > max)
            {
                throw rule.ErrorAt(rule.LineOf("min"), "min", "must not be above max");
            }

            return new DefinedRule(kind, null, by == "agent" ? Speaker.Agent : Speaker.Customer, RuleScope.Anywhere, 0, min, max, Texts(rule, "fail", Placeholders), null, rule.KeyPath(""));
        }

        foreach (var key in new[] { "min", "max" }.Where(rule.Has))
        {
            throw rule.ErrorAt(rule.LineOf(key), key, "only talk_share takes min and max");
        }

        if (!needsTexts)
        {
            return new DefinedRule(kind, phraseClass, Party(rule), scope, amount, 0, 1, new LocalText(new Dictionary<string, string>()), null, rule.KeyPath(""));
        }

        return note
            ? new DefinedRule(kind, phraseClass, Party(rule), scope, amount, 0, 1, Texts(rule, "missing", Placeholders), Texts(rule, "found", Placeholders), rule.KeyPath(""))
            : new DefinedRule(kind, phraseClass, Party(rule), scope, amount, 0, 1, Texts(rule, "fail", Placeholders), null, rule.KeyPath(""));
    }

    private static string PhraseClass(RuleMap map, string key, IReadOnlyDictionary<string, PhraseList> classes)
    {
        var name = map.Text(key);
        if (!classes.ContainsKey(name))
        {
            throw map.ErrorAt(map.LineOf(key), key, classes.Count == 0
                ? $"unknown phrase class '{name}': the check has no 'phrases' section"
                : $"unknown phrase class '{name}'; the check's phrases are: {string.Join(", ", classes.Keys)}");
        }

        return name;
    }

    private static Speaker Party(RuleMap map)
    {
        var by = Choice(map, "by", "agent", "customer");
        return by == "agent" ? Speaker.Agent : Speaker.Customer;
    }

    private static string Choice(RuleMap map, string key, params string[] choices)
    {
        var value = map.Text(key);
        return choices.Contains(value, StringComparer.Ordinal)
            ? value
            : throw map.ErrorAt(map.LineOf(key), key, $"expected one of {string.Join(", ", choices)}, got '{value}'");
    }

    private static LocalText Texts(RuleMap owner, string key, string[] placeholders)
    {
        var map = owner.Map(key, Languages);
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var language in Languages)
        {
            var text = map.Text(language);
            foreach (var name in MessageCatalog.Placeholders(text))
            {
                if (!placeholders.Contains(name, StringComparer.Ordinal))
                {
                    throw map.ErrorAt(map.LineOf(language), language, placeholders.Length == 0
                        ? $"unknown placeholder {{{name}}}: this text takes none"
                        : $"unknown placeholder {{{name}}}; expected one of {string.Join(", ", placeholders.Select(p => "{" + p + "}"))}");
                }
            }

            texts[language] = text;
        }

        return new LocalText(texts);
    }

    private static readonly IReadOnlySet<string> EmptyWords = new HashSet<string>();
}
