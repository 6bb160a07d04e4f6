using QualityScan.Analyzers.Learning;
using QualityScan.Analyzers.Rules;

namespace QualityScan.Analyzers.Tests.Learning;

/// <summary>The shipped packs with a model trained on their own examples (trained once per test run; a few seconds).</summary>
internal static class LearnedModels
{
    private static readonly Lazy<RulePack> PolishPack = new(() => Learn(RulePacks.Polish));
    private static readonly Lazy<RulePack> CzechPack = new(() => Learn(RulePacks.Czech));

    public static RulePack Polish => PolishPack.Value;

    public static RulePack Czech => CzechPack.Value;

    public static RulePack For(string language) => language == "cs" ? Czech : Polish;

    private static RulePack Learn(RulePack pack) => pack with { Model = ModelTrainer.Train(pack, []) };
}
