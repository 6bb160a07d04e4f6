namespace QualityScan.Pipeline.Tests.Batch;

/// <summary>Finds the repository's own folders (sample-audio) from the test's output folder.</summary>
internal static class RepositoryPaths
{
    private static readonly Lazy<string?> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "QualityScan.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    });

    /// <summary>The repository's <c>sample-audio/</c> folder; ignores the test when the tests run outside a checkout.</summary>
    public static string SampleAudio
    {
        get
        {
            var folder = Root.Value is { } root ? Path.Combine(root, "sample-audio") : null;
            if (folder is null || !File.Exists(Path.Combine(folder, "calls.csv")))
            {
                Assert.Ignore("sample-audio/ with its calls.csv is not reachable from the test folder (run the tests from a checkout)");
            }

            return folder!;
        }
    }
}
