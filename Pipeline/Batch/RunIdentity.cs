using System.Reflection;
using System.Security.Cryptography;
using QualityScan.Analyzers;

namespace QualityScan.Pipeline.Batch;

/// <summary>Names what produced a result, so the history and <c>--version</c> can say which program, model and rules judged a call.</summary>
public static class RunIdentity
{
    /// <summary>The rule packs in use: <c>cs:1a2b3c4d,pl:5e6f7a8b</c> (language and the first 8 hex digits of the file's SHA-256).</summary>
    public static string Rules(RuleBook rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        return string.Join(",", rules.Languages.Order(StringComparer.Ordinal).Select(language =>
        {
            var source = rules.For(language).Pack.SourcePath;
            var hash = File.Exists(source) ? Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(source)))[..8] : "inline";
            return $"{language}:{hash}";
        }));
    }

    /// <summary>The program's version and the commit it was built from (<c>1.0.0+abc1234</c>), as stamped at build time.</summary>
    public static string ProgramVersion =>
        typeof(RunIdentity).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}
