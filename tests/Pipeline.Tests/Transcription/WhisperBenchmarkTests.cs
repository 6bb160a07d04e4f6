using System.Diagnostics;
using QualityScan.Models;
using QualityScan.Pipeline.Transcription;

namespace QualityScan.Pipeline.Tests.Transcription;

/// <summary>
/// Speed of the engine on the demo vectors. Explicit: run on an otherwise idle machine with
/// <c>dotnet test tests/Pipeline.Tests -c Release --filter Category=benchmark</c>.
/// </summary>
[TestFixture]
[Explicit("Timing; needs an idle machine.")]
[Category("benchmark")]
[Category("model")]
public sealed class WhisperBenchmarkTests
{
    private const int Rate = 16000;

    [Test]
    public void TranscribeWindow_EachDemoUtterance_PrintsTimings([Values] WhisperPrecision precision)
    {
        using var model = WhisperModel.Load(TestData.DemoModel, new WhisperModelOptions { Precision = precision });
        var transcriber = new WhisperTranscriber(model);
        var utterances = TestData.DemoManifest();
        var samples = utterances.Select(u => TestData.ReadPcm16Mono(Path.Combine(TestData.DemoVectors, u.Wav))).ToArray();
        transcriber.TranscribeWindow(samples[0], "pl");
        transcriber.Stats.Reset();

        var total = Stopwatch.StartNew();
        for (var i = 0; i < utterances.Count; i++)
        {
            var watch = Stopwatch.StartNew();
            transcriber.TranscribeWindow(samples[i], utterances[i].Language);
            TestContext.Out.WriteLine($"{precision} {utterances[i].Wav}: {samples[i].Length / (double)Rate:F1} s audio in {watch.Elapsed.TotalMilliseconds:F0} ms");
        }

        var audio = samples.Sum(s => s.Length) / (double)Rate;
        var speed = audio / total.Elapsed.TotalSeconds;
        TestContext.Out.WriteLine($"{precision}, {model.IntraOpThreads} threads: {audio:F1} s in {total.Elapsed.TotalMilliseconds:F0} ms, x{speed:F1} real time; {transcriber.Stats}");
        Assert.That(transcriber.Stats.DecoderMsPerToken, Is.LessThan(5), "decoder time per token");
    }

    [TestCase(1, 1)]
    [TestCase(1, 2)]
    [TestCase(2, 1)]
    public async Task TranscribeAsync_ThreeMinuteStereoCall_IsTwentyTimesFasterThanRealTime(int workers, int batchSize)
    {
        var channels = SimulatedCall(180);
        using var model = WhisperModel.Load(WhisperModel.DefaultModelFolder, new WhisperModelOptions { Workers = workers });
        var transcriber = new WhisperTranscriber(model);
        var options = new TranscriptionOptions { Language = "pl", BatchSize = batchSize };
        await Transcribe(transcriber, channels[0], options);
        transcriber.Stats.Reset();

        var watch = Stopwatch.StartNew();
        if (workers == 1)
        {
            foreach (var channel in channels)
            {
                await Transcribe(transcriber, channel, options);
            }
        }
        else
        {
            await Task.WhenAll(channels.Select(channel => Task.Run(() => Transcribe(transcriber, channel, options))));
        }

        var speed = 180 / watch.Elapsed.TotalSeconds;
        TestContext.Out.WriteLine($"int8, {workers} worker(s) x {model.IntraOpThreads} thread(s), batch {batchSize}: 180 s stereo call in {watch.Elapsed.TotalSeconds:F2} s, x{speed:F1} real time; {transcriber.Stats}");
        Assert.That(speed, Is.GreaterThanOrEqualTo(20), "target: a 3-minute stereo call at least 20x faster than real time on 2 cores");
    }

    private static async Task Transcribe(WhisperTranscriber transcriber, (float[] Samples, TimeInterval[] Chunks) channel, TranscriptionOptions options)
    {
        await foreach (var _ in transcriber.TranscribeAsync(channel.Samples, channel.Chunks, options))
        {
        }
    }

    /// <summary>Two channels of demo utterances separated by 3–9 s pauses: speech about half of each channel.</summary>
    private static (float[] Samples, TimeInterval[] Chunks)[] SimulatedCall(int seconds)
    {
        var utterances = TestData.DemoManifest().Select(u => TestData.ReadPcm16Mono(Path.Combine(TestData.DemoVectors, u.Wav))).ToArray();
        var random = new Random(42);
        var channels = new (float[], TimeInterval[])[2];
        for (var c = 0; c < channels.Length; c++)
        {
            var samples = new List<float>();
            var chunks = new List<TimeInterval>();
            for (var k = c; ; k++)
            {
                samples.AddRange(new float[(int)((3 + (random.NextDouble() * 6)) * Rate)]);
                var utterance = utterances[k % utterances.Length];
                if (samples.Count + utterance.Length > seconds * Rate)
                {
                    break;
                }

                chunks.Add(new TimeInterval(samples.Count / (double)Rate, (samples.Count + utterance.Length) / (double)Rate));
                samples.AddRange(utterance);
            }

            samples.AddRange(new float[Math.Max(0, (seconds * Rate) - samples.Count)]);
            channels[c] = (samples.Take(seconds * Rate).ToArray(), chunks.ToArray());
        }

        return channels;
    }
}
