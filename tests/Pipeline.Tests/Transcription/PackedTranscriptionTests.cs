using QualityScan.Speech.Tests.Transcription;
using System.Globalization;
using QualityScan.Models;
using QualityScan.Speech.Audio;
using QualityScan.Pipeline.Batch;
using QualityScan.Speech.Tests.Audio;
using QualityScan.Speech.Transcription;

namespace QualityScan.Pipeline.Tests.Transcription;

/// <summary>
/// Packed windowing on a real stereo call made with espeak-ng and sox: each party's speech chunks share full
/// windows, and the segment times a decoder gives inside a window come back to where the speech is in the
/// recording. The decoder is scripted (it writes a timestamped segment over each stretch of sound it is given), so
/// the test checks the planning and the time mapping, not a model's text.
/// </summary>
[TestFixture]
[Category("model")]
[NonParallelizable]
public sealed class PackedTranscriptionTests
{
    private const int Rate = 16000;
    private string _work = "";

    [SetUp]
    public void SetUp() => Directory.CreateDirectory(_work = Path.Combine(Path.GetTempPath(), $"qs-packed-{Guid.NewGuid():N}"));

    [TearDown]
    public void TearDown() => Directory.Delete(_work, recursive: true);

    [Test]
    public async Task TranscribeAsync_StereoCallPacked_FewWindowsAndTimesMappedBackWithin100ms()
    {
        var espeak = ExternalTools.Require("espeak-ng", "espeak-ng");
        var sox = ExternalTools.Require("sox", "sox");
        string[] agentLines = ["Dzień dobry, w czym mogę pomóc?", "Rozumiem, sprawdzę to.", "Proszę chwilę poczekać.", "Już widzę fakturę.", "Opłata jest za roaming.", "Czy mogę jeszcze w czymś pomóc?", "Dziękuję za rozmowę."];
        string[] customerLines = ["Dzwonię w sprawie faktury.", "Dobrze.", "Aha, rozumiem.", "Nie, to wszystko.", "Do widzenia."];
        var agent = Place(espeak, sox, "agent", agentLines, [0.5, 6.0, 9.5, 16.0, 22.0, 35.0, 44.0]);
        var customer = Place(espeak, sox, "customer", customerLines, [3.5, 8.0, 19.5, 39.0, 47.0]);
        var call = Path.Combine(_work, "call.wav");
        ExternalTools.Run(sox, "-M", agent.File, customer.File, call);

        using var model = WhisperModel.Load(TestData.SherpaModel, new WhisperModelOptions { Precision = WhisperPrecision.Float32 });
        var decoder = new SoundSegmentsDecoder(model.Info);
        var settings = new ScanSettings { Language = "pl", Transcription = new TranscriptionOptions { Windowing = Windowing.Packed, BatchSize = 4 } };
        var processor = new CallProcessor(new AudioDecoder(), new WhisperTranscriber(model, decoder), settings, ["pl"]);
        var prepared = processor.Prepare(CallJob.ForFile(call, "call.wav", "agent"), CancellationToken.None);
        var chunks = prepared.Activity.Agent.Count + prepared.Activity.Customer.Count;

        var transcript = await processor.TranscribeAsync(prepared, CancellationToken.None);

        Assert.That(chunks, Is.GreaterThanOrEqualTo(agentLines.Length + customerLines.Length), "voice activity finds every line");
        Assert.That(decoder.Windows, Is.LessThanOrEqualTo(4), $"{chunks} speech chunks packed into at most two windows per party");
        Assert.That(decoder.Batches, Is.LessThan(decoder.Windows), "windows of both parties go through the decoder together");
        foreach (var (speaker, placed) in new[] { (Speaker.Agent, agent), (Speaker.Customer, customer) })
        {
            var heard = transcript.Utterances.Where(u => u.Speaker == speaker).ToList();
            Assert.That(heard, Has.Count.EqualTo(placed.Spans.Count), $"one {speaker} utterance per line");
            for (var i = 0; i < placed.Spans.Count; i++)
            {
                var (start, end) = placed.Spans[i];
                Assert.That(heard[i].Start, Is.EqualTo(start).Within(0.1), $"{speaker} line {i + 1} starts where it was placed");
                Assert.That(heard[i].End, Is.EqualTo(end).Within(0.1), $"{speaker} line {i + 1} ends where it was placed");
            }
        }
    }

    /// <summary>Speaks each line with espeak-ng (trimmed of its own silence by sox, 16 kHz) and lays them at the given times in one mono track.</summary>
    private (string File, List<(double Start, double End)> Spans) Place(string espeak, string sox, string name, string[] lines, double[] offsets)
    {
        var parts = new List<string>();
        var spans = new List<(double, double)>();
        var cursor = 0.0;
        for (var i = 0; i < lines.Length; i++)
        {
            var raw = Path.Combine(_work, $"{name}{i}-raw.wav");
            var line = Path.Combine(_work, $"{name}{i}.wav");
            ExternalTools.Run(espeak, "-v", "pl", "-w", raw, lines[i]);
            ExternalTools.Run(sox, raw, "-r", "16000", "-c", "1", "-b", "16", line, "silence", "1", "0.02", "1%", "reverse", "silence", "1", "0.02", "1%", "reverse");
            var silence = Path.Combine(_work, $"{name}{i}-gap.wav");
            ExternalTools.Run(sox, "-n", "-r", "16000", "-c", "1", "-b", "16", silence, "trim", "0", (offsets[i] - cursor).ToString("0.000", CultureInfo.InvariantCulture));
            var duration = new FileInfo(line).Length - 44;
            var seconds = duration / 2.0 / Rate;
            parts.Add(silence);
            parts.Add(line);
            spans.Add((offsets[i], offsets[i] + seconds));
            cursor = offsets[i] + seconds;
        }

        var tail = Path.Combine(_work, $"{name}-tail.wav");
        ExternalTools.Run(sox, "-n", "-r", "16000", "-c", "1", "-b", "16", tail, "trim", "0", (52.0 - cursor).ToString("0.000", CultureInfo.InvariantCulture));
        parts.Add(tail);
        var track = Path.Combine(_work, $"{name}.wav");
        ExternalTools.Run(sox, [.. parts, track]);
        return (track, spans);
    }

    /// <summary>
    /// Writes, for each stretch of sound in a window (20 ms frames above -40 dBFS, pauses under 0.3 s bridged), a
    /// segment "&lt;|start|&gt; tak &lt;|end|&gt;" with confident figures, then end-of-text.
    /// </summary>
    private sealed class SoundSegmentsDecoder(WhisperModelInfo info) : IWindowDecoder
    {
        public int Windows { get; private set; }

        public int Batches { get; private set; }

        public (int[] Languages, WhisperInference.GreedyResult[] Results) Decode(
            IReadOnlyList<TrackAudio> tracks, IReadOnlyList<PlannedWindow> batch, int? forcedLanguage, CallLanguage? vote, WindowDecodingOptions decoding, IReadOnlyList<int> budgets, TranscriptionStats stats, CancellationToken cancellationToken)
        {
            Assert.That(decoding.Timestamps, Is.True, "packed windows are decoded with timestamps");
            Assert.That(forcedLanguage, Is.Not.Null, "the scripted decoder is given the call's language");
            Batches++;
            Windows += batch.Count;
            var results = batch.Select((window, i) =>
            {
                var audio = new float[Math.Min(window.ContentSamples, LogMelSpectrogram.WindowSamples)];
                window.CopyAudio(tracks[window.Track].Samples, audio);
                var result = new WhisperInference.GreedyResult(budgets[i]) { NoSpeechProbability = 0.01, SumLogProbability = -0.1, Stop = DecodingStop.EndOfText };
                foreach (var (start, end) in Sound(audio))
                {
                    result.Tokens.AddRange([Timestamp(start), 991, Timestamp(end)]);
                }

                return result;
            }).ToArray();
            return (Enumerable.Repeat(forcedLanguage!.Value, batch.Count).ToArray(), results);
        }

        private int Timestamp(double seconds) => info.TimestampBegin + (int)Math.Round(seconds / TimestampSegments.SecondsPerTimestamp);

        private static List<(double Start, double End)> Sound(float[] audio)
        {
            const int Frame = Rate / 50;
            var spans = new List<(double Start, double End)>();
            for (var f = 0; f + Frame <= audio.Length; f += Frame)
            {
                var energy = 0.0;
                for (var i = f; i < f + Frame; i++)
                {
                    energy += audio[i] * (double)audio[i];
                }

                if (Math.Sqrt(energy / Frame) < 0.01)
                {
                    continue;
                }

                var (start, end) = (f / (double)Rate, (f + Frame) / (double)Rate);
                if (spans.Count > 0 && start - spans[^1].End < 0.3)
                {
                    spans[^1] = (spans[^1].Start, end);
                }
                else
                {
                    spans.Add((start, end));
                }
            }

            return spans;
        }
    }
}
