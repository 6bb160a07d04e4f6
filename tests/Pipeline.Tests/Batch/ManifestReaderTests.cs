using System.Text;
using QualityScan.Pipeline.Batch;
using QualityScan.Pipeline.Naming;

namespace QualityScan.Pipeline.Tests.Batch;

/// <summary>Manifests as Polish and Czech Excel save them, read through the real discovery and CSV parser.</summary>
[TestFixture]
public sealed class ManifestReaderTests
{
    private string _input = "";

    [SetUp]
    public void SetUp()
    {
        _input = Path.Combine(Path.GetTempPath(), $"qs-manifest-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(_input, "kk"));
        File.WriteAllBytes(Path.Combine(_input, "kk", "a.wav"), [0]);
        File.WriteAllBytes(Path.Combine(_input, "kk", "b.wav"), [0]);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_input, recursive: true);

    [Test]
    public void Discover_SemicolonWindows1250ManifestWithPolishDates_ReadsNamesAndLocalTimes()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var text = "file;call_id;agent_id;agent_name;company;started_at\r\n"
            + "kk/a.wav;a-1;kkowalska;Małgorzata Żółkiewska;Bank Śląski;29.11.2026 10:15\r\n"
            + "kk/b.wav;b-1;kkowalska;Łukasz Gęba;Vodárny Praha;25.10.2026 02:30\r\n";
        var bytes = Encoding.GetEncoding(1250).GetBytes(text);
        Assert.That(() => new UTF8Encoding(false, true).GetString(bytes), Throws.InstanceOf<DecoderFallbackException>(), "the fixture really is not UTF-8");
        File.WriteAllBytes(Path.Combine(_input, "calls.csv"), bytes);

        var result = CallDiscovery.Discover(_input);

        Assert.That(result.Errors, Is.Empty, string.Join("\n", result.Errors.Select(e => e.Reason)));
        var a = result.Jobs.Single(j => j.CallId == "a-1");
        Assert.That(a.AgentName, Is.EqualTo("Małgorzata Żółkiewska"), "Windows-1250 letters decoded");
        Assert.That(a.Company, Is.EqualTo("Bank Śląski"));
        Assert.That(a.StartedAt, Is.EqualTo(new DateTimeOffset(2026, 11, 29, 10, 15, 0, TimeSpan.FromHours(1))), "a time without offset is Warsaw time, not UTC");
        var b = result.Jobs.Single(j => j.CallId == "b-1");
        Assert.That(b.AgentName, Is.EqualTo("Łukasz Gęba"));
        Assert.That(b.Company, Is.EqualTo("Vodárny Praha"), "Czech letters are in Windows-1250 too");
        Assert.That(b.StartedAt, Is.EqualTo(new DateTimeOffset(2026, 10, 25, 2, 30, 0, TimeSpan.FromHours(2))), "the repeated autumn hour is read as its first (summer-time) occurrence");
    }

    [Test]
    public void Discover_CommaUtf8ManifestWithIsoTimes_OffsetKeptAndLocalTimeInTheGivenZone()
    {
        File.WriteAllText(Path.Combine(_input, "calls.csv"),
            "file,call_id,agent_id,agent_name,company,started_at\n"
            + "kk/a.wav,a-1,kkowalska,\"Kowalska; Katarzyna\",Teleplus,2026-11-29T10:15:00Z\n"
            + "kk/b.wav,b-1,kkowalska,Katarzyna Kowalska,Teleplus,2026-07-01T10:15:00\n",
            new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        var prague = new FileNameConvention(null, LocalTime.Zone("Europe/Prague"), PhoneNumberMasking.Default);

        var result = CallDiscovery.Discover(_input, prague);

        Assert.That(result.Errors, Is.Empty, string.Join("\n", result.Errors.Select(e => e.Reason)));
        Assert.That(result.Jobs.Single(j => j.CallId == "a-1").AgentName, Is.EqualTo("Kowalska; Katarzyna"), "a quoted ; does not make the file ;-separated");
        Assert.That(result.Jobs.Single(j => j.CallId == "a-1").StartedAt!.Value.UtcDateTime, Is.EqualTo(new DateTime(2026, 11, 29, 10, 15, 0, DateTimeKind.Utc)));
        Assert.That(result.Jobs.Single(j => j.CallId == "b-1").StartedAt, Is.EqualTo(new DateTimeOffset(2026, 7, 1, 10, 15, 0, TimeSpan.FromHours(2))));
    }

    [Test]
    public void Discover_UnreadableDate_ErrorRowNamingLineAndAcceptedForms()
    {
        File.WriteAllText(Path.Combine(_input, "calls.csv"), "file;call_id;agent_id;agent_name;company;started_at\nkk/a.wav;a-1;kk;;;29/11/2026\nkk/b.wav;b-1;kk;;;\n");

        var result = CallDiscovery.Discover(_input);

        var error = result.Errors.Single();
        Assert.That(error.Reason, Does.Contain("calls.csv:2").And.Contain("29.11.2026 10:15").And.Contain("'29/11/2026'"));
        Assert.That(result.Jobs.Select(j => j.CallId), Does.Contain("b-1"), "the batch goes on with the other rows");
    }

    [TestCase("a,b,c", ",")]
    [TestCase("a;b;c", ";")]
    [TestCase("a\tb\tc", "\t")]
    [TestCase("\"x,y\";b;c", ";")]
    [TestCase("single", ",")]
    public void DetectDelimiter_HeaderRow(string header, string expected) =>
        Assert.That(ManifestReader.DetectDelimiter(header + "\n1,2,3"), Is.EqualTo(expected));
}
