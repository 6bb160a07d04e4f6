using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using QualityScan.Analyzers;
using QualityScan.Pipeline.Cli;
using QualityScan.Pipeline.Reports;
using QualityScan.Pipeline.Transcripts;

namespace QualityScan.Pipeline.Tests.Privacy;

/// <summary>
/// Two calls (Polish and Czech) in which customers and agents say every kind of personal data, as digits and as words,
/// next to near misses that must stay, run through a real <c>qualityscan analyze</c>: then every file it wrote is read
/// (the workbook's XML parts unzipped, HTML and XML entities decoded) and none may hold a value.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed partial class PersonalDataInReportsTests
{
    /// <summary>Values as said in the transcripts: none may appear in a file people read.</summary>
    private static readonly string[] Values =
    [
        "44051401359", "4111 1111 1111 1111", "PL61 1090 1014 0000 0712 1981 2874", "600 700 800", "jan.kowalski@gmail.com",
        "jan kropka kowalski", "kowalski małpa gmail", "czterdzieści cztery zero pięć czternaście", "cztery pięć sześć siedem osiem dziewięć jeden",
        "+48 512 345 678", "785123/3544", "19-2000145399/0800", "+420 603 123 456", "šest nula tři jedna dva tři čtyři pět šest",
        "petr tečka novak zavináč seznam", "čtyři jedna jedna jedna jedna", "sedm osm pět jedna dva tři tři pět čtyři čtyři",
    ];

    /// <summary>The same values as bare digits, looked for with every space, dash and slash between digits removed.</summary>
    private static readonly string[] Digits =
    [
        "44051401359", "4111111111111111", "61109010140000071219812874", "600700800", "4567891", "512345678", "7851233544",
        "2000145399", "603123456",
    ];

    /// <summary>Near misses said in the same calls: they must still be there on the coach pages.</summary>
    private static readonly string[] NearMisses =
    [
        "1 250,50 zł", "12.03.2024", "numer zamówienia to 123456789", "tři sta korun", "číslo objednávky je 987654321", "o 10:30",
    ];

    private string _work = "";

    [SetUp]
    public void SetUp() => _work = Directory.CreateTempSubdirectory("qs-privacy-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_work, recursive: true);

    [Test]
    public async Task Analyze_CallsFullOfPersonalData_NoValueInAnyFileWritten()
    {
        var input = Path.Combine(_work, "in");
        Directory.CreateDirectory(input);
        WriteCall(Path.Combine(input, "pl.json"), "pl-pii", "akowalska", "Anna Kowalska", "pl",
        [
            ("agent", "Dzień dobry, Anna Kowalska, Telkom, w czym mogę pomóc?"),
            ("customer", "Mój PESEL to 44051401359, a karta 4111 1111 1111 1111."),
            ("agent", "Musi Pan podać jeszcze numer konta i telefon."),
            ("customer", "PL61 1090 1014 0000 0712 1981 2874, telefon 600 700 800, mail jan.kowalski@gmail.com."),
            ("agent", "Musi Pan to powtórzyć: jan kropka kowalski małpa gmail kropka com, PESEL czterdzieści cztery zero pięć czternaście zero jeden trzysta pięćdziesiąt dziewięć?"),
            ("customer", "Tak, a numer klienta cztery pięć sześć siedem osiem dziewięć jeden."),
            ("agent", "Nie wiem. Do zapłaty jest 1 250,50 zł do 12.03.2024, numer zamówienia to 123456789."),
            ("customer", "Dobrze, mój drugi numer to +48 512 345 678, proszę dzwonić o 10:30."),
            ("agent", "Czy mogę jeszcze w czymś pomóc? Dziękuję za rozmowę, do widzenia."),
        ]);
        WriteCall(Path.Combine(input, "cs.json"), "cs-pii", "jvesely", "Jan Veselý", "cs",
        [
            ("agent", "Dobrý den, Jan Veselý, Telkom, jak vám mohu pomoci?"),
            ("customer", "Rodné číslo 785123/3544, účet 19-2000145399/0800."),
            ("agent", "Musíte mi říct ještě telefon."),
            ("customer", "+420 603 123 456, nebo šest nula tři jedna dva tři čtyři pět šest, mail petr tečka novak zavináč seznam tečka cz."),
            ("agent", "Nevím. Stojí to tři sta korun, číslo objednávky je 987654321."),
            ("customer", "Karta čtyři jedna jedna jedna jedna jedna jedna jedna jedna jedna jedna jedna jedna jedna jedna jedna, rodné číslo sedm osm pět jedna dva tři tři pět čtyři čtyři."),
            ("agent", "Musíte počkat. Můžu ještě s něčím pomoci? Děkuji za hovor, na shledanou."),
        ]);
        var output = Path.Combine(_work, "out");

        var (code, _, error) = await Cli.CliRun.RunAsync("analyze", input, "--out", output, "--report-language", "pl");

        Assert.That(code, Is.EqualTo(ExitCodes.Success), error);
        var files = Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories).ToList();
        Assert.That(files.Select(f => Path.GetRelativePath(output, f)), Is.SupersetOf(new[]
        {
            "findings.csv", "calls.csv", "report.xlsx", Path.Combine("coach", "akowalska.html"), Path.Combine("coach", "jvesely-review.csv"),
            Path.Combine("agents", "akowalska.csv"),
        }));
        foreach (var file in files)
        {
            var text = Readable(file);
            var joined = DigitSeparators().Replace(text, "");
            Assert.Multiple(() =>
            {
                foreach (var value in Values)
                {
                    Assert.That(text, Does.Not.Contain(value).IgnoreCase, $"{Path.GetRelativePath(output, file)} shows a customer's data");
                }

                foreach (var digits in Digits)
                {
                    Assert.That(joined, Does.Not.Contain(digits), $"{Path.GetRelativePath(output, file)} shows a customer's number");
                }
            });
        }

        var pages = Readable(Path.Combine(output, "coach", "akowalska.html")) + Readable(Path.Combine(output, "coach", "jvesely.html"));
        Assert.That(NearMisses.Where(n => !pages.Contains(n, StringComparison.Ordinal)), Is.Empty, "amounts, dates, times and named order numbers stay on the coach pages");
        foreach (var label in new[] { "[PESEL]", "[karta]", "[konto]", "[telefon]", "[e-mail]", "[numer]" })
        {
            Assert.That(pages, Does.Contain(label), "each mask names its category in the report language");
        }

        Assert.That(pages, Does.Contain("Musi Pan to powtórzyć: [e-mail], PESEL [PESEL]?"), "a context line keeps its words around the masks");
    }

    [Test]
    public async Task Analyze_MaskedQuotes_OutcomesSameAsTheChecksOnTheUnmaskedWords()
    {
        var input = Path.Combine(_work, "in");
        Directory.CreateDirectory(input);
        var file = Path.Combine(input, "call.json");
        WriteCall(file, "pl-outcome", "akowalska", "Anna Kowalska", "pl",
        [
            ("agent", "Słucham, proszę podać PESEL 44051401359 albo kartę 4111 1111 1111 1111."),
            ("customer", "Mój PESEL to 44051401359."),
            ("agent", "Nie wiem, 44051401359 to dla mnie zagadka."),
            ("customer", "Karta 4111 1111 1111 1111."),
            ("agent", "Dziękuję, sprawdzę kartę 4111 1111 1111 1111 i oddzwonię. Dobra, to tyle, cześć."),
        ]);
        var output = Path.Combine(_work, "out");

        var (code, _, error) = await Cli.CliRun.RunAsync("analyze", file, "--out", output);

        Assert.That(code, Is.EqualTo(ExitCodes.Success), error);
        var unmasked = RuleBook.Load().Analyze(TranscriptJson.Read(file).Transcript);
        var written = ReportWriter.Read<FindingRow, FindingRowMap>(Path.Combine(output, "findings.csv"));
        Assert.That(written.Select(f => (f.Check, f.Outcome, f.StartSeconds)),
            Is.EquivalentTo(unmasked.Results.SelectMany(r => r.Findings).Select(f => (f.CheckId, QualityScan.Models.OutcomeText.ToReportText(f.Outcome), f.Start))),
            "the same findings with the same outcomes as the checks give the unmasked transcript");
        // The failed greeting and closing quote the agent's whole turns: there the values were.
        Assert.That(written.Where(f => f.Outcome == "fail").Select(f => f.Evidence), Has.Some.Contains("PESEL [PESEL] albo kartę [karta]"));
        Assert.That(written.Select(f => f.Evidence), Has.None.Contains("44051401359").And.None.Contains("4111"));
    }

    private static void WriteCall(string path, string callId, string agentId, string agentName, string language, (string Speaker, string Text)[] turns)
    {
        var utterances = turns.Select((t, i) => new { speaker = t.Speaker, start = i * 6.0, end = (i * 6.0) + 5.5, text = t.Text }).ToList();
        var json = JsonSerializer.Serialize(new
        {
            callId,
            agentId,
            agentName,
            company = "Telkom",
            language,
            durationSeconds = turns.Length * 6.0,
            utterances,
            activity = new
            {
                agent = utterances.Where(u => u.speaker == "agent").Select(u => new[] { u.start, u.end }),
                customer = utterances.Where(u => u.speaker == "customer").Select(u => new[] { u.start, u.end }),
            },
        });
        File.WriteAllText(path, json, new UTF8Encoding(false));
    }

    /// <summary>A file as a person sees it: the text of every part of a workbook, entities decoded.</summary>
    private static string Readable(string path)
    {
        if (path.EndsWith(".xlsx", StringComparison.Ordinal))
        {
            using var zip = ZipFile.OpenRead(path);
            var parts = new StringBuilder();
            foreach (var entry in zip.Entries)
            {
                using var reader = new StreamReader(entry.Open(), Encoding.UTF8);
                parts.Append(reader.ReadToEnd()).Append('\n');
            }

            return WebUtility.HtmlDecode(parts.ToString());
        }

        return WebUtility.HtmlDecode(File.ReadAllText(path, Encoding.UTF8));
    }

    [GeneratedRegex(@"(?<=\d)[\s\-/.]+(?=\d)")]
    private static partial Regex DigitSeparators();
}
