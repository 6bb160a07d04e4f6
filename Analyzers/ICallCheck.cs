using QualityScan.Models;

namespace QualityScan.Analyzers;

/// <summary>One check of the customer-service standard: a call in, a verdict with its evidence out.</summary>
/// <remarks>
/// Implementations are pure (no I/O, clock or logging) and stateless after construction, so one instance
/// can serve parallel workers.
/// </remarks>
public interface ICallCheck
{
    /// <summary>Judges one call whose utterances were normalised once for all checks (see <see cref="PreparedCall"/>).</summary>
    CheckResult Analyze(PreparedCall call);
}
