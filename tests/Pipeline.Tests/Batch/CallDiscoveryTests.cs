using QualityScan.Pipeline.Batch;

namespace QualityScan.Pipeline.Tests.Batch;

public sealed class CallDiscoveryTests
{
    private string _root = "";

    [SetUp]
    public void SetUp() => Directory.CreateDirectory(_root = Path.Combine(Path.GetTempPath(), $"qs-discovery-{Guid.NewGuid():N}"));

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    [Test]
    public void Discover_NoManifest_AgentFromFolderAndCallFromFileName()
    {
        Touch("anowak/2026-11-22-001.wav");
        Touch("anowak/notes.txt");
        Touch("loose.mp3");

        var result = CallDiscovery.Discover(_root);

        Assert.That(result.Jobs.Select(j => (j.RelativePath, j.AgentId, j.CallId)), Is.EqualTo(new[]
        {
            ("anowak/2026-11-22-001.wav", "anowak", "2026-11-22-001"),
            ("loose.mp3", "unknown", "loose"),
        }), "text files are not recordings; a file at the top level has no agent folder");
        Assert.That(result.Errors, Is.Empty);
    }

    [Test]
    public void Discover_Manifest_MetadataFromRowsAndProblemsReported()
    {
        Touch("a/c1.wav");
        Touch("a/c2.wav");
        Touch("b/unlisted.wav");
        Touch("b/weird.xyz");
        File.WriteAllText(Path.Combine(_root, "calls.csv"), """
            file,call_id,agent_id,agent_name,company,language,agent_channel,started_at
            a/c1.wav,call-1,anowak,Anna Nowak,Teleplus,pl,right,2026-11-22T09:00:00+01:00
            a/c2.wav,call-2,anowak,Anna Nowak,Teleplus,,,
            a/gone.wav,call-3,anowak,Anna Nowak,Teleplus,pl,left,
            a/c1.wav,call-4,anowak,Anna Nowak,Teleplus,pl,sideways,
            """);

        var result = CallDiscovery.Discover(_root);

        var c1 = result.Jobs.Single(j => j.CallId == "call-1");
        Assert.That((c1.AgentId, c1.AgentName, c1.Company, c1.Language, c1.AgentChannel), Is.EqualTo(("anowak", "Anna Nowak", "Teleplus", "pl", "right")));
        Assert.That(c1.StartedAt, Is.EqualTo(new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.FromHours(1))));
        Assert.That(result.Jobs.Single(j => j.CallId == "call-2").Language, Is.Null, "an empty cell falls back to the run's setting");
        Assert.That(result.Jobs.Select(j => j.RelativePath), Does.Contain("b/unlisted.wav"), "a recording with no row is still processed");
        Assert.That(result.Jobs.Select(j => j.RelativePath), Does.Contain("b/weird.xyz"), "an unknown format is handed to the decoder, which reports it");
        Assert.That(result.Warnings, Has.Some.Contain("b/unlisted.wav").And.Contain("no row"));
        Assert.That(result.Errors.Select(e => e.Reason), Has.Some.Contain("calls.csv:4").And.Some.Contain("a/gone.wav' does not exist"));
        Assert.That(result.Errors.Select(e => e.Reason), Has.Some.Contain("calls.csv:5").And.Some.Contain("agent_channel must be left or right"));
    }

    [Test]
    public void Discover_ManifestWithoutRequiredColumn_FailsNamingTheColumn()
    {
        File.WriteAllText(Path.Combine(_root, "calls.csv"), "file,call_id\nx.wav,1\n");

        var ex = Assert.Throws<ManifestException>(() => CallDiscovery.Discover(_root));

        Assert.That(ex!.Message, Does.Contain("calls.csv").And.Contain("agent_id").And.Contain("agent_name"));
    }

    private void Touch(string relative)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, [1]);
    }
}
