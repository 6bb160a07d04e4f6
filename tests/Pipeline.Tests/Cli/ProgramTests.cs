using QualityScan.Pipeline.Cli;

namespace QualityScan.Pipeline.Tests.Cli;

/// <summary>The <c>qualityscan</c> program as a user types it: help, version, exit codes, misspellings.</summary>
[TestFixture]
[NonParallelizable]
public sealed class ProgramTests
{
    private static IEnumerable<TestCaseData> EveryCommand()
    {
        foreach (var command in Program.Commands)
        {
            if (command.Spec.Subcommands.Count == 0)
            {
                yield return new TestCaseData(new[] { command.Name }, command.Spec).SetArgDisplayNames(command.Name);
            }

            foreach (var sub in command.Spec.Subcommands)
            {
                yield return new TestCaseData(new[] { command.Name, sub.Name }, sub).SetArgDisplayNames(command.Name + " " + sub.Name);
            }
        }
    }

    [TestCaseSource(nameof(EveryCommand))]
    public async Task Help_EveryCommand_ListsEachOptionWithItsMeaningAndDefaultAndTheExitCodes(string[] words, CommandSpec spec)
    {
        foreach (var help in new[] { "--help", "-h" })
        {
            var (code, output, _) = await Run([.. words, help]);

            Assert.That(code, Is.EqualTo(ExitCodes.Success), $"{help} is not an error");
            foreach (var option in spec.Options)
            {
                var line = output.Split('\n').SingleOrDefault(l => System.Text.RegularExpressions.Regex.IsMatch(l, $@"^\s+(-\w, )?--{option.Name}(\s|$)"));
                Assert.That(line, Is.Not.Null, $"{string.Join(' ', words)} {help} lists --{option.Name}:\n{output}");
                Assert.That(line, Does.Contain(option.Description.Split(' ')[0]), $"--{option.Name} says what it means");
                if (option.Default is not null)
                {
                    Assert.That(line, Does.Contain($"[default: {option.Default}]"), $"--{option.Name} shows its default");
                }
            }

            Assert.That(output, Does.Contain("Exit codes:").And.Contain("130").And.Contain("3    done, but not everything was processed"));
        }
    }

    [Test]
    public async Task Help_Scan_NamesTheDefaultsAUserAsksAbout()
    {
        var (_, output, _) = await Run(["scan", "--help"]);

        Assert.That(output, Does.Contain("--date <yesterday|today|YYYY-MM-DD|DD.MM.YYYY>"));
        Assert.That(output, Does.Contain("[default: <out>/history.db]"));
        Assert.That(output, Does.Contain("[default: Europe/Warsaw]"));
        Assert.That(output, Does.Contain("[default: int8]"));
        Assert.That(output, Does.Not.Contain("--out <folder> is required"), "-h is help, not a complaint about a missing option");
    }

    [Test]
    public async Task Version_PrintsVersionCommitModelAndRulePacks()
    {
        var (code, output, _) = await Run(["--version"]);

        Assert.That(code, Is.EqualTo(ExitCodes.Success));
        Assert.That(output, Does.Match(@"qualityscan \d+\.\d+\.\d+\+[0-9a-f]{7,40}"), "version and the commit it was built from");
        Assert.That(output, Does.Match(@"model \(default\): whisper-demo-pl-cs@[0-9a-f]{16}"));
        Assert.That(output, Does.Match(@"rule packs \(shipped\): cs:[0-9a-f]{8},pl:[0-9a-f]{8}"));
    }

    [Test]
    public async Task MisspelledOption_Exit2WithASuggestion()
    {
        var (code, _, error) = await Run(["scan", "in", "--ouut", "x"]);

        Assert.That(code, Is.EqualTo(ExitCodes.Usage));
        Assert.That(error, Does.Contain("unknown option --ouut; did you mean --out?"));
    }

    [Test]
    public async Task MisspelledCommand_Exit2WithASuggestion()
    {
        var (code, _, error) = await Run(["trend"]);

        Assert.That(code, Is.EqualTo(ExitCodes.Usage));
        Assert.That(error, Does.Contain("did you mean trends?"));
    }

    [Test]
    public async Task MissingRequiredOption_Exit2NamingIt()
    {
        var (code, _, error) = await Run(["scan", "in"]);

        Assert.That(code, Is.EqualTo(ExitCodes.Usage));
        Assert.That(error, Does.Contain("--out <folder> is required"));
    }

    [Test]
    public async Task BadValue_Exit2NamingTheChoices()
    {
        var (code, _, error) = await Run(["scan", Path.GetTempPath(), "--out", Path.Combine(Path.GetTempPath(), "qs-never"), "--date", "29/11/2026"]);

        Assert.That(code, Is.EqualTo(ExitCodes.Usage));
        Assert.That(error, Does.Contain("--date takes yesterday, today or a date like 2026-11-29"));
    }

    [Test]
    public async Task InputFolderMissing_Exit1()
    {
        var (code, _, error) = await Run(["scan", "/nonexistent/recordings", "--out", Path.Combine(Path.GetTempPath(), $"qs-{Guid.NewGuid():N}")]);

        Assert.That(code, Is.EqualTo(ExitCodes.Failure));
        Assert.That(error, Does.Contain("/nonexistent/recordings does not exist"));
    }

    [Test]
    public async Task BrokenConfiguration_Exit1WithFileLineAndKey()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"qs-cfg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            File.WriteAllText(Path.Combine(folder, "qualityscan.yaml"), "workers: 2\ntime_zone: Mars/Olympus\n");

            var (code, _, error) = await Run(["scan", folder, "--out", Path.Combine(folder, "out")]);

            Assert.That(code, Is.EqualTo(ExitCodes.Failure));
            Assert.That(error, Does.Contain("qualityscan.yaml:2: time_zone: unknown time zone 'Mars/Olympus'"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public async Task NoArguments_HelpAndExit2()
    {
        var (code, output, _) = await Run([]);

        Assert.That(code, Is.EqualTo(ExitCodes.Usage));
        Assert.That(output, Does.Contain("scan").And.Contain("trends"));
    }

    private static Task<(int Code, string Out, string Error)> Run(string[] args) => CliRun.RunAsync(args);
}
