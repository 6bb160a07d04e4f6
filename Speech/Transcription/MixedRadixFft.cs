namespace QualityScan.Speech.Transcription;

/// <summary>
/// Forward complex FFT of a fixed length whose prime factors are 2, 3 and 5 (Whisper's 400-point frames are
/// 4·4·5·5), as a Stockham auto-sort decimation-in-frequency transform: natural order in and out, no bit
/// reversal. Immutable after construction, so one instance serves any number of threads; callers bring
/// their own scratch buffers.
/// </summary>
internal sealed class MixedRadixFft
{
    private static readonly double Cos2Pi5 = Math.Cos(2 * Math.PI / 5);
    private static readonly double Cos4Pi5 = Math.Cos(4 * Math.PI / 5);
    private static readonly double Sin2Pi5 = Math.Sin(2 * Math.PI / 5);
    private static readonly double Sin4Pi5 = Math.Sin(4 * Math.PI / 5);
    private static readonly double Sin2Pi3 = Math.Sin(2 * Math.PI / 3);

    private readonly Stage[] _stages;

    /// <summary>Plans a transform of <paramref name="length"/> points.</summary>
    public MixedRadixFft(int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        Length = length;
        var stages = new List<Stage>();
        var remaining = length;
        var stride = 1;
        while (remaining > 1)
        {
            var radix = remaining % 4 == 0 ? 4 : remaining % 2 == 0 ? 2 : remaining % 3 == 0 ? 3 : remaining % 5 == 0 ? 5 : 0;
            if (radix == 0)
            {
                throw new ArgumentOutOfRangeException(nameof(length), length, "The FFT length must have no prime factors other than 2, 3 and 5.");
            }

            stages.Add(new Stage(radix, remaining, stride));
            remaining /= radix;
            stride *= radix;
        }

        _stages = [.. stages];
    }

    /// <summary>Number of points.</summary>
    public int Length { get; }

    /// <summary>
    /// Transforms (<paramref name="re"/>, <paramref name="im"/>) in place: X[k] = Σ x[t]·e^(-2πi·t·k/N).
    /// The scratch spans must hold <see cref="Length"/> values each; their contents are overwritten.
    /// </summary>
    public void Forward(Span<double> re, Span<double> im, Span<double> scratchRe, Span<double> scratchIm)
    {
        if (re.Length < Length || im.Length < Length || scratchRe.Length < Length || scratchIm.Length < Length)
        {
            throw new ArgumentException($"Every buffer must hold at least {Length} values.");
        }

        var inRe = re;
        var inIm = im;
        var outRe = scratchRe;
        var outIm = scratchIm;
        foreach (var stage in _stages)
        {
            stage.Run(inRe, inIm, outRe, outIm);
            var swapRe = inRe;
            inRe = outRe;
            outRe = swapRe;
            var swapIm = inIm;
            inIm = outIm;
            outIm = swapIm;
        }

        if (_stages.Length % 2 == 1)
        {
            inRe[..Length].CopyTo(re);
            inIm[..Length].CopyTo(im);
        }
    }

    private sealed class Stage
    {
        private readonly int _radix;
        private readonly int _groups;
        private readonly int _stride;
        private readonly double[] _twiddleRe;
        private readonly double[] _twiddleIm;

        public Stage(int radix, int currentLength, int stride)
        {
            _radix = radix;
            _groups = currentLength / radix;
            _stride = stride;
            _twiddleRe = new double[_groups * radix];
            _twiddleIm = new double[_groups * radix];
            for (var p = 0; p < _groups; p++)
            {
                for (var k = 0; k < radix; k++)
                {
                    var angle = -2 * Math.PI * p * k / currentLength;
                    _twiddleRe[(p * radix) + k] = Math.Cos(angle);
                    _twiddleIm[(p * radix) + k] = Math.Sin(angle);
                }
            }
        }

        public void Run(ReadOnlySpan<double> xr, ReadOnlySpan<double> xi, Span<double> yr, Span<double> yi)
        {
            var s = _stride;
            var m = _groups;
            for (var p = 0; p < m; p++)
            {
                var tw = p * _radix;
                for (var q = 0; q < s; q++)
                {
                    var input = q + (s * p);
                    var output = q + (s * _radix * p);
                    switch (_radix)
                    {
                        case 4:
                            Radix4(xr, xi, yr, yi, input, s * m, output, s, tw);
                            break;
                        case 2:
                            Radix2(xr, xi, yr, yi, input, s * m, output, s, tw);
                            break;
                        case 3:
                            Radix3(xr, xi, yr, yi, input, s * m, output, s, tw);
                            break;
                        default:
                            Radix5(xr, xi, yr, yi, input, s * m, output, s, tw);
                            break;
                    }
                }
            }
        }

        private void Store(Span<double> yr, Span<double> yi, int index, int tw, double re, double im)
        {
            var wr = _twiddleRe[tw];
            var wi = _twiddleIm[tw];
            yr[index] = (re * wr) - (im * wi);
            yi[index] = (re * wi) + (im * wr);
        }

        private void Radix2(ReadOnlySpan<double> xr, ReadOnlySpan<double> xi, Span<double> yr, Span<double> yi, int i, int di, int o, int d, int tw)
        {
            double ar = xr[i], ai = xi[i], br = xr[i + di], bi = xi[i + di];
            yr[o] = ar + br;
            yi[o] = ai + bi;
            Store(yr, yi, o + d, tw + 1, ar - br, ai - bi);
        }

        private void Radix3(ReadOnlySpan<double> xr, ReadOnlySpan<double> xi, Span<double> yr, Span<double> yi, int i, int di, int o, int d, int tw)
        {
            double a0r = xr[i], a0i = xi[i], a1r = xr[i + di], a1i = xi[i + di], a2r = xr[i + (2 * di)], a2i = xi[i + (2 * di)];
            double tr = a1r + a2r, ti = a1i + a2i;
            double ur = (a1r - a2r) * Sin2Pi3, ui = (a1i - a2i) * Sin2Pi3;
            double mr = a0r - (0.5 * tr), mi = a0i - (0.5 * ti);
            yr[o] = a0r + tr;
            yi[o] = a0i + ti;
            Store(yr, yi, o + d, tw + 1, mr + ui, mi - ur);
            Store(yr, yi, o + (2 * d), tw + 2, mr - ui, mi + ur);
        }

        private void Radix4(ReadOnlySpan<double> xr, ReadOnlySpan<double> xi, Span<double> yr, Span<double> yi, int i, int di, int o, int d, int tw)
        {
            double a0r = xr[i], a0i = xi[i];
            double a1r = xr[i + di], a1i = xi[i + di];
            double a2r = xr[i + (2 * di)], a2i = xi[i + (2 * di)];
            double a3r = xr[i + (3 * di)], a3i = xi[i + (3 * di)];
            double s02r = a0r + a2r, s02i = a0i + a2i, d02r = a0r - a2r, d02i = a0i - a2i;
            double s13r = a1r + a3r, s13i = a1i + a3i, d13r = a1r - a3r, d13i = a1i - a3i;
            yr[o] = s02r + s13r;
            yi[o] = s02i + s13i;
            // X1 = d02 - i·d13, X3 = d02 + i·d13.
            Store(yr, yi, o + d, tw + 1, d02r + d13i, d02i - d13r);
            Store(yr, yi, o + (2 * d), tw + 2, s02r - s13r, s02i - s13i);
            Store(yr, yi, o + (3 * d), tw + 3, d02r - d13i, d02i + d13r);
        }

        private void Radix5(ReadOnlySpan<double> xr, ReadOnlySpan<double> xi, Span<double> yr, Span<double> yi, int i, int di, int o, int d, int tw)
        {
            double a0r = xr[i], a0i = xi[i];
            double a1r = xr[i + di], a1i = xi[i + di];
            double a2r = xr[i + (2 * di)], a2i = xi[i + (2 * di)];
            double a3r = xr[i + (3 * di)], a3i = xi[i + (3 * di)];
            double a4r = xr[i + (4 * di)], a4i = xi[i + (4 * di)];
            double t1r = a1r + a4r, t1i = a1i + a4i, t2r = a2r + a3r, t2i = a2i + a3i;
            double t3r = a1r - a4r, t3i = a1i - a4i, t4r = a2r - a3r, t4i = a2i - a3i;
            double m1r = a0r + (Cos2Pi5 * t1r) + (Cos4Pi5 * t2r), m1i = a0i + (Cos2Pi5 * t1i) + (Cos4Pi5 * t2i);
            double m2r = a0r + (Cos4Pi5 * t1r) + (Cos2Pi5 * t2r), m2i = a0i + (Cos4Pi5 * t1i) + (Cos2Pi5 * t2i);
            double n1r = (Sin2Pi5 * t3r) + (Sin4Pi5 * t4r), n1i = (Sin2Pi5 * t3i) + (Sin4Pi5 * t4i);
            double n2r = (Sin4Pi5 * t3r) - (Sin2Pi5 * t4r), n2i = (Sin4Pi5 * t3i) - (Sin2Pi5 * t4i);
            yr[o] = a0r + t1r + t2r;
            yi[o] = a0i + t1i + t2i;
            // X1 = m1 - i·n1, X4 = m1 + i·n1, X2 = m2 - i·n2, X3 = m2 + i·n2.
            Store(yr, yi, o + d, tw + 1, m1r + n1i, m1i - n1r);
            Store(yr, yi, o + (2 * d), tw + 2, m2r + n2i, m2i - n2r);
            Store(yr, yi, o + (3 * d), tw + 3, m2r - n2i, m2i + n2r);
            Store(yr, yi, o + (4 * d), tw + 4, m1r - n1i, m1i + n1r);
        }
    }
}
