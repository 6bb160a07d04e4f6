using System.Reflection;
using System.Text.RegularExpressions;
using QualityScan.Pipeline.Cli;
using QualityScan.Pipeline.Tests.Batch;

namespace QualityScan.Pipeline.Tests.Cli;

/// <summary>One list of exit codes: the constants, <c>--help</c> and docs/operator.md say the same thing.</summary>
[TestFixture]
public sealed partial class ExitCodesTests
{
    [Test]
    public void All_EveryConstant_IsListedOnceWithAMeaning()
    {
        var constants = typeof(ExitCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(int)).Select(f => (int)f.GetRawConstantValue()!).Order().ToList();

        Assert.That(ExitCodes.All.Select(c => c.Code).Order(), Is.EqualTo(constants), "every exit code constant is in the list --help prints, and nothing else");
        Assert.That(ExitCodes.All.Select(c => c.Code).Distinct().Count(), Is.EqualTo(ExitCodes.All.Count), "no code listed twice");
        Assert.That(ExitCodes.All.Select(c => c.Meaning), Has.All.Length.GreaterThan(10));
    }

    [TestCase("scan")]
    [TestCase("report")]
    [TestCase("analyze")]
    public async Task Help_Command_ListsExactlyTheCodesOfTheCode(string command)
    {
        var (code, output, _) = await CliRun.RunAsync(command, "--help");

        Assert.That(code, Is.EqualTo(ExitCodes.Success));
        var listed = output[output.IndexOf("Exit codes:", StringComparison.Ordinal)..].Split('\n').Skip(1)
            .Select(l => CodeLine().Match(l)).Where(m => m.Success).Select(m => (int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), m.Groups[2].Value.Trim())).ToList();
        Assert.That(listed, Is.EqualTo(ExitCodes.All.Select(c => (c.Code, c.Meaning)).ToList()), $"{command} --help lists the codes of ExitCodes.All, in order:\n{output}");
    }

    [Test]
    public void OperatorGuide_ExitCodeTable_IsTheCodesList()
    {
        var guide = File.ReadAllLines(Path.Combine(Path.GetDirectoryName(RepositoryPaths.SampleAudio)!, "docs", "operator.md"));
        var start = Array.FindIndex(guide, l => l.StartsWith("## Exit codes", StringComparison.Ordinal));
        Assert.That(start, Is.GreaterThanOrEqualTo(0), "docs/operator.md has an exit codes section");
        var rows = guide.Skip(start + 1).TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal))
            .Select(l => TableRow().Match(l)).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();

        Assert.That(rows, Is.EqualTo(ExitCodes.All.Select(c => c.Code).ToList()), "the guide's table has one row per code, in the order of the code");
    }

    [GeneratedRegex(@"^\s{2}(\d+)\s+(\S.*)$")]
    private static partial Regex CodeLine();

    [GeneratedRegex(@"^\|\s*`?(\d+)`?\s*\|")]
    private static partial Regex TableRow();
}
