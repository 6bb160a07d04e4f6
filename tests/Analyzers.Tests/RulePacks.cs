using QualityScan.Analyzers.Rules;
using QualityScan.Models;

namespace QualityScan.Analyzers.Tests;

/// <summary>The shipped rule packs (copied beside the test binaries), loaded once, and helpers to run one check.</summary>
internal static class RulePacks
{
    private static readonly Lazy<RulePack> PolishPack = new(() => RulePackLoader.LoadForLanguage("pl"));
    private static readonly Lazy<RulePack> CzechPack = new(() => RulePackLoader.LoadForLanguage("cs"));

    public static RulePack Polish => PolishPack.Value;

    public static RulePack Czech => CzechPack.Value;

    public static RulePack For(CallTranscript call) => call.Metadata.Language == "cs" ? Czech : Polish;

    /// <summary>Runs the check made by <paramref name="create"/> with the pack of the call's language.</summary>
    public static CheckResult Run(CallTranscript call, Func<RulePack, ICallCheck> create)
    {
        var pack = For(call);
        return create(pack).Analyze(pack.Prepare(call));
    }
}
