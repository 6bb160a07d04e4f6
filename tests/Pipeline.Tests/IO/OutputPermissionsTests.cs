using QualityScan.Pipeline.Config;

namespace QualityScan.Pipeline.Tests.IO;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class OutputPermissionsTests
{
    [TestCase("0750", "0750", "0640")]
    [TestCase("770", "0770", "0660")]
    [TestCase("0700", "0700", "0600")]
    public void ParseMode_OctalFolderMode_FilesWithoutExecute(string text, string folder, string file)
    {
        var permissions = OutputPermissions.Default with { FolderMode = OutputPermissions.ParseMode(text) };

        Assert.That((OutputPermissions.Octal(permissions.FolderMode), OutputPermissions.Octal(permissions.FileMode)), Is.EqualTo((folder, file)));
    }

    [TestCase("0650")]
    [TestCase("rwxr-x---")]
    [TestCase("0758")]
    [TestCase("10750")]
    public void Config_BadOutputMode_NamesFileLineAndKey(string mode)
    {
        var error = Assert.Throws<ConfigException>(() => QualityScanConfig.Parse($"time_zone: Europe/Prague\noutput_mode: '{mode}'\n", "/etc/qs/qualityscan.yaml"));

        Assert.That(error!.Message, Does.Contain("qualityscan.yaml:2").And.Contain("output_mode").And.Contain("0750"));
    }

    [Test]
    public void Config_PrivacyKeys_Read()
    {
        var config = QualityScanConfig.Parse("output_mode: '0770'\noutput_group: qa\nretention_days: 30\nredact_transcripts: true\n", "/etc/qs/qualityscan.yaml");

        Assert.That((OutputPermissions.Octal(config.Permissions.FolderMode), config.Permissions.Group, config.RetentionDays, config.RedactTranscripts), Is.EqualTo(("0770", "qa", 30, true)));
        Assert.That(config.Options["keep-days"], Is.EqualTo("30"), "retention_days is --keep-days' default");
    }

    [Test]
    public void Secure_FolderWithWiderRights_NamedOnce()
    {
        var root = Directory.CreateTempSubdirectory("qs-perm-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "coach"));
            File.SetUnixFileMode(root, OutputPermissions.DefaultFolderMode);
            File.SetUnixFileMode(Path.Combine(root, "coach"), (UnixFileMode)Convert.ToInt32("755", 8));

            var note = OutputPermissions.Default.Secure(root);

            Assert.That(note, Does.StartWith("1 folder(s)").And.Contain(Path.Combine(root, "coach")).And.Contain("0755"));
            Assert.That(OutputPermissions.Default.Secure(Path.Combine(root, "coach", "..", "..", Path.GetFileName(root), "transcripts-none")), Is.Null);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
