using System.Diagnostics;
using QualityScan.Pipeline.Tests.Batch;

namespace QualityScan.Pipeline.Tests.Deploy;

/// <summary>The systemd units in <c>deploy/</c> pass <c>systemd-analyze verify</c> (Debian package systemd, installed by scripts/ensure-packages.sh).</summary>
[TestFixture]
[Category("deploy")]
public sealed class SystemdUnitTests
{
    [Test]
    public void Verify_NightlyServiceAndTimer_NoComplaints()
    {
        var script = Path.Combine(Path.GetDirectoryName(RepositoryPaths.SampleAudio)!, "deploy", "verify.sh");
        if (!File.Exists("/usr/bin/systemd-analyze") && !File.Exists("/bin/systemd-analyze"))
        {
            Assert.Ignore("systemd-analyze is not installed (scripts/ensure-packages.sh systemd installs it)");
        }

        using var process = Process.Start(new ProcessStartInfo("bash", [script]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();

        Assert.That(process.ExitCode, Is.EqualTo(0), stderr.Result);
        Assert.That(stdout, Does.Contain("deploy units verified"));
    }

    [Test]
    public void Service_RunsLastNightWithTheConfigFile()
    {
        var deploy = Path.Combine(Path.GetDirectoryName(RepositoryPaths.SampleAudio)!, "deploy");
        var exec = File.ReadAllLines(Path.Combine(deploy, "qualityscan-nightly.service")).Single(l => l.StartsWith("ExecStart=", StringComparison.Ordinal));
        var cron = File.ReadAllLines(Path.Combine(deploy, "qualityscan.cron")).Single(l => !l.StartsWith('#') && l.Length > 0);

        foreach (var line in new[] { exec, cron })
        {
            Assert.That(line, Does.Contain(" scan ").And.Contain("--date yesterday").And.Contain("--config /etc/qualityscan/qualityscan.yaml"));
            Assert.That(line, Does.Contain("--out '/var/lib/qualityscan/reports/{date}'"), "each night's reports in their own folder, so Monday does not replace the weekend's");
        }

        var config = File.ReadAllText(Path.Combine(deploy, "qualityscan.yaml"));
        Assert.That(config, Does.Contain("\nmodel: /opt/qualityscan/models/sherpa-onnx-whisper-small").And.Contain("models download small"), "the example points at a real model and says how to get it");
        Assert.That(QualityScan.Pipeline.Config.QualityScanConfig.Parse(config.Replace("model: /opt/qualityscan/models/sherpa-onnx-whisper-small", "", StringComparison.Ordinal), Path.Combine(deploy, "qualityscan.yaml")).TimeZone,
            Is.EqualTo("Europe/Warsaw"), "the example configuration is valid");
    }
}
