namespace QualityScan.Speech.Tests.Audio;

/// <summary>Test signals and the measurements the audio tests make on them.</summary>
internal static class Signals
{
    public static float[] Sine(double frequency, int sampleRate, double seconds, double amplitude = 0.5, double phase = 0)
    {
        var samples = new float[(int)Math.Round(seconds * sampleRate)];
        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] = (float)(amplitude * Math.Sin((2 * Math.PI * frequency * i / sampleRate) + phase));
        }

        return samples;
    }

    /// <summary>Gaussian white noise with the given RMS level in dBFS.</summary>
    public static float[] Noise(int length, double levelDb, int seed)
    {
        var random = new Random(seed);
        double sigma = Math.Pow(10, levelDb / 20);
        var samples = new float[length];
        for (int i = 0; i < length; i++)
        {
            double u1 = 1 - random.NextDouble();
            double u2 = random.NextDouble();
            samples[i] = (float)(sigma * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }

        return samples;
    }

    /// <summary>
    /// A vowel-like burst as a telephone carries it: the harmonics of a 140 Hz voice between 300 Hz
    /// and 3.4 kHz, amplitude-modulated at a syllable rate of 4 Hz, with 30 ms fades, scaled so its
    /// loud syllables reach <paramref name="levelDb"/> RMS.
    /// </summary>
    public static float[] SpeechLike(int sampleRate, double seconds, double levelDb, double pitch = 140, double syllableRate = 4)
    {
        int length = (int)Math.Round(seconds * sampleRate);
        var samples = new float[length];
        int lowest = (int)Math.Ceiling(300 / pitch);
        int highest = (int)Math.Min(3400, sampleRate * 0.45) / (int)pitch;
        double norm = 0;
        for (int k = lowest; k <= highest; k++)
        {
            norm += 1.0 / (k * k);
        }

        double amplitude = Math.Pow(10, levelDb / 20) * Math.Sqrt(2 / norm);
        double fade = 0.03 * sampleRate;
        for (int i = 0; i < length; i++)
        {
            double t = (double)i / sampleRate;
            double tone = 0;
            for (int k = lowest; k <= highest; k++)
            {
                tone += Math.Sin(2 * Math.PI * pitch * k * t) / k;
            }

            double syllable = 0.55 + (0.45 * Math.Cos(2 * Math.PI * syllableRate * t));
            double edge = Math.Min(1, Math.Min(i / fade, (length - 1 - i) / fade));
            samples[i] = (float)(amplitude * tone * syllable * edge);
        }

        return samples;
    }

    /// <summary>Adds <paramref name="signal"/> times <paramref name="gain"/> into <paramref name="target"/> from <paramref name="atSeconds"/>.</summary>
    public static void MixInto(float[] target, float[] signal, int sampleRate, double atSeconds, double gain = 1)
    {
        int offset = (int)Math.Round(atSeconds * sampleRate);
        for (int i = 0; i < signal.Length && offset + i < target.Length; i++)
        {
            target[offset + i] += (float)(signal[i] * gain);
        }
    }

    public static double Rms(ReadOnlySpan<float> samples)
    {
        double sum = 0;
        foreach (float x in samples)
        {
            sum += (double)x * x;
        }

        return Math.Sqrt(sum / samples.Length);
    }

    public static double Db(double ratio) => 20 * Math.Log10(ratio);

    public static double Gain(double db) => Math.Pow(10, db / 20);

    /// <summary>Amplitude of the component at <paramref name="frequency"/> (Goertzel, over the whole span).</summary>
    public static double ToneAmplitude(ReadOnlySpan<float> samples, double frequency, int sampleRate)
    {
        double w = 2 * Math.PI * frequency / sampleRate;
        double coefficient = 2 * Math.Cos(w);
        double s1 = 0;
        double s2 = 0;
        foreach (float x in samples)
        {
            double s0 = x + (coefficient * s1) - s2;
            s2 = s1;
            s1 = s0;
        }

        double power = (s1 * s1) + (s2 * s2) - (coefficient * s1 * s2);
        return 2 * Math.Sqrt(Math.Max(0, power)) / samples.Length;
    }

    /// <summary>Frequency estimated from rising zero crossings, with linear interpolation at both ends.</summary>
    public static double ZeroCrossingFrequency(ReadOnlySpan<float> samples, int sampleRate)
    {
        double first = -1;
        double last = -1;
        int crossings = 0;
        for (int i = 1; i < samples.Length; i++)
        {
            if (samples[i - 1] < 0 && samples[i] >= 0)
            {
                double at = i - 1 + (samples[i - 1] / (samples[i - 1] - samples[i]));
                if (first < 0)
                {
                    first = at;
                }
                else
                {
                    crossings++;
                }

                last = at;
            }
        }

        return crossings * sampleRate / (last - first);
    }
}
