using System.Globalization;
using QualityScan.Models;

namespace QualityScan.Analyzers.Learning;

/// <summary>
/// An evaluation set of agent phrasing written apart from the rule packs' examples: single utterances labelled with a
/// phrase class (an instance or a near miss), and whole calls with the expected outcome of every check. Each item
/// belongs to the tuning half or the held-out half, split once when the set was written.
/// </summary>
/// <remarks>
/// <para>Utterance files (<c>utterances-&lt;language&gt;.tsv</c>): <c>half, phrase class, + or -, text</c> per line, <c>#</c>
/// comments.</para>
/// <para>Call files (<c>calls-&lt;language&gt;.txt</c>): a header line
/// <c>call &lt;id&gt; | tune|held | &lt;agent name&gt; | &lt;company&gt; | greeting=pass interruption=pass …</c>, then one line per turn:
/// <c>A:</c> agent, <c>C:</c> customer, <c>A!:</c> the agent starting 1.5 s before the customer's turn ends,
/// <c>A~:</c> an agent backchannel 1.2 s before the customer's turn ends, <c>C!:</c> the customer starting 1.5 s before
/// the agent's turn ends. A turn lasts 0.6 s + 0.4 s a word, turns are 0.6 s apart, a call lasts at least 120 s.</para>
/// </remarks>
public sealed class PhrasingSet
{
    /// <summary>The tuning half: may be looked at and tuned on.</summary>
    public const string Tuning = "tune";

    /// <summary>The held-out half: reported, never tuned on.</summary>
    public const string HeldOut = "held";

    private PhrasingSet(IReadOnlyList<PhrasingItem> utterances, IReadOnlyList<PhrasingCall> calls)
    {
        Utterances = utterances;
        Calls = calls;
    }

    /// <summary>The labelled utterances.</summary>
    public IReadOnlyList<PhrasingItem> Utterances { get; }

    /// <summary>The whole calls with their expected outcomes.</summary>
    public IReadOnlyList<PhrasingCall> Calls { get; }

    /// <summary>Reads every <c>utterances-*.tsv</c> and <c>calls-*.txt</c> in <paramref name="folder"/>.</summary>
    /// <exception cref="InvalidDataException">A line is malformed (the message names the file and line).</exception>
    public static PhrasingSet Load(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"phrasing set folder not found: {folder}");
        }

        var utterances = new List<PhrasingItem>();
        foreach (var file in Directory.EnumerateFiles(folder, "utterances-*.tsv").Order(StringComparer.Ordinal))
        {
            utterances.AddRange(ParseUtterances(LanguageOf(file, "utterances-"), File.ReadAllLines(file), Path.GetFileName(file)));
        }

        var calls = new List<PhrasingCall>();
        foreach (var file in Directory.EnumerateFiles(folder, "calls-*.txt").Order(StringComparer.Ordinal))
        {
            calls.AddRange(ParseCalls(LanguageOf(file, "calls-"), File.ReadAllLines(file), Path.GetFileName(file)));
        }

        return new PhrasingSet(utterances, calls);
    }

    /// <summary>Parses the lines of an utterance file.</summary>
    public static IReadOnlyList<PhrasingItem> ParseUtterances(string language, IEnumerable<string> lines, string source)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var items = new List<PhrasingItem>();
        var number = 0;
        foreach (var line in lines)
        {
            number++;
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var fields = line.Split('\t');
            if (fields.Length != 4 || fields[0] is not (Tuning or HeldOut) || !PhraseClasses.All.Contains(fields[1]) || fields[2] is not ("+" or "-"))
            {
                throw new InvalidDataException($"{source}:{number}: expected 'tune|held<TAB>phrase class<TAB>+|-<TAB>text'");
            }

            items.Add(new PhrasingItem(language, fields[0], fields[1], fields[2] == "+", fields[3]));
        }

        return items;
    }

    /// <summary>Parses the lines of a call file.</summary>
    public static IReadOnlyList<PhrasingCall> ParseCalls(string language, IEnumerable<string> lines, string source)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var calls = new List<PhrasingCall>();
        string[]? header = null;
        var headerLine = 0;
        var turns = new List<(string Kind, string Text)>();
        var number = 0;

        void Finish()
        {
            if (header is not null)
            {
                calls.Add(Build(language, header, turns, $"{source}:{headerLine}"));
            }

            header = null;
            turns.Clear();
        }

        foreach (var raw in lines)
        {
            number++;
            var line = raw.Trim();
            if (line.StartsWith('#'))
            {
                continue;
            }

            if (line.Length == 0)
            {
                Finish();
                continue;
            }

            if (line.StartsWith("call ", StringComparison.Ordinal))
            {
                Finish();
                header = line[5..].Split('|', StringSplitOptions.TrimEntries);
                headerLine = number;
                if (header.Length != 5 || header[1] is not (Tuning or HeldOut))
                {
                    throw new InvalidDataException($"{source}:{number}: expected 'call <id> | tune|held | <agent name> | <company> | <check>=<outcome> …'");
                }

                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var kind = colon > 0 ? line[..colon] : "";
            if (header is null || kind is not ("A" or "C" or "A!" or "A~" or "C!"))
            {
                throw new InvalidDataException($"{source}:{number}: expected a turn 'A: …', 'C: …', 'A!: …', 'A~: …' or 'C!: …' after a 'call' line");
            }

            turns.Add((kind, line[(colon + 1)..].Trim()));
        }

        Finish();
        return calls;
    }

    private static PhrasingCall Build(string language, string[] header, List<(string Kind, string Text)> turns, string where)
    {
        var expected = new Dictionary<string, Outcome>(StringComparer.Ordinal);
        foreach (var pair in header[4].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=');
            Outcome? outcome = parts.Length == 2 ? parts[1] switch { "pass" => Outcome.Pass, "fail" => Outcome.Fail, "n/a" => Outcome.NotApplicable, _ => null } : null;
            if (outcome is null)
            {
                throw new InvalidDataException($"{where}: '{pair}' is not <check>=pass|fail|n/a");
            }

            expected[parts[0]] = outcome.Value;
        }

        var utterances = new List<Utterance>();
        var clock = 0.5;
        Utterance? last = null;
        foreach (var (kind, text) in turns)
        {
            var length = 0.6 + (0.4 * text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
            var speaker = kind[0] == 'A' ? Speaker.Agent : Speaker.Customer;
            var start = kind switch
            {
                "A!" or "C!" when last is not null => Math.Max(last.Start + 0.2, last.End - 1.5),
                "A~" when last is not null => Math.Max(last.Start + 0.2, last.End - 1.2),
                _ => clock,
            };
            var utterance = new Utterance(speaker, Math.Round(start, 2), Math.Round(start + length, 2), text);
            utterances.Add(utterance);
            clock = Math.Max(clock, utterance.End + 0.6);
            if (kind != "A~")
            {
                last = utterance;
            }
        }

        var ordered = utterances.OrderBy(u => u.Start).ToArray();
        var duration = Math.Max(120, ordered.Length == 0 ? 0 : ordered.Max(u => u.End));
        var metadata = new CallMetadata(header[0], "set", header[2], header[3], language, duration);
        return new PhrasingCall(header[1], new CallTranscript(metadata, ordered, VoiceActivity.FromUtterances(ordered)), expected);
    }

    private static string LanguageOf(string file, string prefix) =>
        Path.GetFileNameWithoutExtension(file)[prefix.Length..].ToLower(CultureInfo.InvariantCulture);
}

/// <summary>One labelled utterance of a <see cref="PhrasingSet"/>.</summary>
/// <param name="Language">Language code.</param>
/// <param name="Half"><see cref="PhrasingSet.Tuning"/> or <see cref="PhrasingSet.HeldOut"/>.</param>
/// <param name="PhraseClass">The class (see <see cref="PhraseClasses"/>).</param>
/// <param name="Positive">True for an instance of the class, false for a near miss.</param>
/// <param name="Text">The words.</param>
public sealed record PhrasingItem(string Language, string Half, string PhraseClass, bool Positive, string Text);

/// <summary>One whole call of a <see cref="PhrasingSet"/>.</summary>
/// <param name="Half"><see cref="PhrasingSet.Tuning"/> or <see cref="PhrasingSet.HeldOut"/>.</param>
/// <param name="Transcript">The call with times made from its words.</param>
/// <param name="Expected">The expected outcome per check id.</param>
public sealed record PhrasingCall(string Half, CallTranscript Transcript, IReadOnlyDictionary<string, Outcome> Expected);
