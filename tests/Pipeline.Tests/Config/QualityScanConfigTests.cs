using QualityScan.Pipeline.Cli;
using QualityScan.Pipeline.Config;
using QualityScan.Pipeline.Naming;

namespace QualityScan.Pipeline.Tests.Config;

[TestFixture]
public sealed class QualityScanConfigTests
{
    private string _folder = "";

    [SetUp]
    public void SetUp() => Directory.CreateDirectory(_folder = Path.Combine(Path.GetTempPath(), $"qs-config-{Guid.NewGuid():N}"));

    [TearDown]
    public void TearDown() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void Load_FullFile_EveryValueReadAndRelativePathsBesideTheFile()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "models", "whisper-small"));
        Directory.CreateDirectory(Path.Combine(_folder, "rules"));
        var path = Write("""
            # what the team sets once
            model: models/whisper-small
            precision: fp32
            language: pl
            rules: rules
            agent_channel: right
            workers: 2
            time_zone: Europe/Prague
            report_language: cs
            history: /var/lib/qualityscan/history.db
            file_names:
              pattern: '^(?<agent>[^/]+)/(?<datetime>\d{8}-\d{6})_(?<phone>\d+)\.wav$'
              phone_numbers: hash
              phone_digits_kept: 2
            """);

        var config = QualityScanConfig.Load(path);

        Assert.That(config.Options["model"], Is.EqualTo(Path.Combine(_folder, "models", "whisper-small")));
        Assert.That(config.Options["rules"], Is.EqualTo(Path.Combine(_folder, "rules")));
        Assert.That(config.Options["precision"], Is.EqualTo("fp32"));
        Assert.That(config.Options["language"], Is.EqualTo("pl"));
        Assert.That(config.Options["agent-channel"], Is.EqualTo("right"));
        Assert.That(config.Options["workers"], Is.EqualTo("2"));
        Assert.That(config.Options["history"], Is.EqualTo("/var/lib/qualityscan/history.db"));
        Assert.That(config.TimeZone, Is.EqualTo("Europe/Prague"));
        Assert.That(config.ReportLanguage, Is.EqualTo("cs"));
        Assert.That(config.PhoneNumbers, Is.EqualTo(new PhoneNumberMasking(PhoneNumberMode.Hash, 2)));
        Assert.That(config.NameConvention().Describe("/in", "kk/20261129-093012_601234567.wav").AgentId, Is.EqualTo("kk"));
    }

    [TestCase("workers: 2\nwokrers: 3\n", 2, "wokrers", "unknown key", TestName = "Load_MisspelledKey_FileLineAndKey")]
    [TestCase("workers: 0\n", 1, "workers", "from 1 to 64", TestName = "Load_WorkersOutOfRange_FileLineAndKey")]
    [TestCase("language: en\n", 1, "language", "pl, cs, auto", TestName = "Load_UnknownLanguage_ListsTheChoices")]
    [TestCase("time_zone: Europe/Warszawa\n", 1, "time_zone", "unknown time zone 'Europe/Warszawa'", TestName = "Load_UnknownTimeZone_SaysSo")]
    [TestCase("file_names:\n  pattern: '(?<agnet>.+)'\n", 2, "file_names.pattern", "(?<agnet>)", TestName = "Load_PatternWithUnknownGroup_NamesTheGroup")]
    [TestCase("file_names:\n  pattern: '(unclosed'\n", 2, "file_names.pattern", "not a valid regular expression", TestName = "Load_BrokenPattern_SaysSo")]
    [TestCase("file_names:\n  phone_numbers: hide\n", 2, "file_names.phone_numbers", "mask, hash, keep", TestName = "Load_UnknownPhoneMode_ListsTheChoices")]
    [TestCase("model: no/such/folder\n", 1, "model", "does not exist", TestName = "Load_MissingModelFolder_SaysWhichPath")]
    [TestCase("workers: [2\n", 2, null, "not valid YAML", TestName = "Load_BrokenYaml_FileAndLine")]
    public void Load_InvalidFile_ErrorWithFileLineAndKey(string yaml, int line, string? key, string problem)
    {
        var path = Write(yaml);

        var ex = Assert.Throws<ConfigException>(() => QualityScanConfig.Load(path));

        Assert.That(ex!.Message, Does.StartWith($"{path}:{line}: " + (key is null ? "" : key + ": ")));
        Assert.That(ex.Message, Does.Contain(problem));
    }

    [Test]
    public void Find_FileInTheInputFolder_UsedWithoutConfigOption()
    {
        Write("workers: 3\n");

        Assert.That(QualityScanConfig.Find(null, _folder).Options["workers"], Is.EqualTo("3"));
        Assert.That(QualityScanConfig.Find(null, Path.GetTempPath()).SourcePath, Is.Null.Or.Not.EqualTo(Path.Combine(_folder, QualityScanConfig.FileName)));
    }

    [Test]
    public void Find_ExplicitPathMissing_Error()
    {
        var ex = Assert.Throws<ConfigException>(() => QualityScanConfig.Find(Path.Combine(_folder, "nope.yaml"), _folder));

        Assert.That(ex!.Message, Does.Contain("nope.yaml").And.Contain("not found"));
    }

    [Test]
    public void WithDefaults_CommandLineWinsOverTheFile()
    {
        var config = QualityScanConfig.Load(Write("workers: 3\nprecision: fp32\n"));
        var parsed = CommandArguments.Parse(["--workers", "1"], ["workers", "precision"], []).WithDefaults(config.Options);

        Assert.That(parsed.Int("workers", 9, 1, 64), Is.EqualTo(1), "the command line overrides the file");
        Assert.That(parsed.Value("precision"), Is.EqualTo("fp32"), "the file fills what the command line leaves out");
    }

    private string Write(string yaml)
    {
        var path = Path.Combine(_folder, QualityScanConfig.FileName);
        File.WriteAllText(path, yaml);
        return path;
    }
}
