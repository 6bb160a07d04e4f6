namespace QualityScan.Speech.Transcription;

/// <summary>
/// Triangular mel filter banks on the Slaney mel scale with Slaney area normalisation, the filters Whisper
/// was trained with (the same values as <c>librosa.filters.mel(sr, n_fft, n_mels)</c> with <c>htk=False</c>,
/// <c>norm='slaney'</c>, 0 Hz to the Nyquist frequency).
/// </summary>
internal static class MelFilterBank
{
    private const double LinearHzPerMel = 200.0 / 3.0;
    private const double LogRegionStartHz = 1000.0;
    private const double LogRegionStartMel = LogRegionStartHz / LinearHzPerMel;
    private static readonly double LogStep = Math.Log(6.4) / 27.0;

    /// <summary>Creates an <paramref name="melBins"/> x (<paramref name="fftSize"/>/2 + 1) filter matrix, row-major.</summary>
    public static float[] Create(int sampleRate, int fftSize, int melBins)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(fftSize, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(melBins, 1);

        var bins = (fftSize / 2) + 1;
        var fftFrequencies = new double[bins];
        for (var k = 0; k < bins; k++)
        {
            fftFrequencies[k] = k * (double)sampleRate / fftSize;
        }

        // melBins + 2 band edges evenly spaced in mel between 0 Hz and Nyquist, as numpy.linspace spaces them.
        var edgeCount = melBins + 2;
        var minMel = HzToMel(0);
        var maxMel = HzToMel(sampleRate / 2.0);
        var melStep = (maxMel - minMel) / (edgeCount - 1);
        var edges = new double[edgeCount];
        for (var i = 0; i < edgeCount; i++)
        {
            edges[i] = MelToHz(i == edgeCount - 1 ? maxMel : minMel + (i * melStep));
        }

        var weights = new float[melBins * bins];
        for (var m = 0; m < melBins; m++)
        {
            var lowerWidth = edges[m + 1] - edges[m];
            var upperWidth = edges[m + 2] - edges[m + 1];
            var areaNorm = 2.0 / (edges[m + 2] - edges[m]);
            for (var k = 0; k < bins; k++)
            {
                var lower = (fftFrequencies[k] - edges[m]) / lowerWidth;
                var upper = (edges[m + 2] - fftFrequencies[k]) / upperWidth;
                weights[(m * bins) + k] = (float)(Math.Max(0, Math.Min(lower, upper)) * areaNorm);
            }
        }

        return weights;
    }

    /// <summary>Slaney mel scale: linear below 1 kHz, logarithmic above.</summary>
    internal static double HzToMel(double hz) =>
        hz >= LogRegionStartHz ? LogRegionStartMel + (Math.Log(hz / LogRegionStartHz) / LogStep) : hz / LinearHzPerMel;

    /// <summary>Inverse of <see cref="HzToMel"/>.</summary>
    internal static double MelToHz(double mel) =>
        mel >= LogRegionStartMel ? LogRegionStartHz * Math.Exp(LogStep * (mel - LogRegionStartMel)) : mel * LinearHzPerMel;
}
