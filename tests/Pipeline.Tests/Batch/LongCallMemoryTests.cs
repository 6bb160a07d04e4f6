using QualityScan.Speech.Audio;
using QualityScan.Pipeline.Batch;
using QualityScan.Speech.Tests.Audio;
using QualityScan.Speech.Transcription;

namespace QualityScan.Pipeline.Tests.Batch;

/// <summary>
/// What a scan holds of a long call while it is transcribed: a sample call repeated by sox (independently of this
/// project's audio code) into a 10-minute stereo 8 kHz A-law recording, as telephony exports it.
/// </summary>
[TestFixture]
[Category("model")]
[Category("sox")]
public sealed class LongCallMemoryTests
{
    private const int Repeats = 7;

    private string _folder = "";
    private string _path = "";
    private string _shorter = "";

    [OneTimeSetUp]
    public void MakeLongCall()
    {
        _folder = Directory.CreateTempSubdirectory("qs-longcall-").FullName;
        _path = Path.Combine(_folder, "long-call.wav");
        var sample = Path.Combine(RepositoryPaths.SampleAudio, "kkowalska", "pl02-dontknow-followup.wav");
        Sox(sample, "-e", "a-law", _path, "repeat", $"{Repeats}");
        _shorter = Path.Combine(_folder, "shorter-call.wav");
        Sox(sample, "-e", "a-law", _shorter, "repeat", "1");
    }

    [OneTimeTearDown]
    public void Remove() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void Prepare_TenMinuteStereoCall_HoldsLessThanTwoBytesPerSampleOfEachTrack()
    {
        using var model = WhisperModel.Load(WhisperModel.DefaultModelFolder);
        var processor = new CallProcessor(new AudioDecoder(), new WhisperTranscriber(model), new ScanSettings { Language = "pl" }, ["pl"]);
        var job = CallJob.ForFile(_path, "long-call.wav", "kkowalska");

        // Everything Prepare does (decode, resample to 16 kHz, channel roles, voice activity) runs on this thread.
        var before = GC.GetAllocatedBytesForCurrentThread();
        var call = processor.Prepare(job, CancellationToken.None);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        var samples = call.Channels.Tracks.Sum(t => (long)t.Samples.Length);
        TestContext.Out.WriteLine($"{call.DurationSeconds:0} s, {call.Channels.Tracks.Count} tracks, {samples} samples at 16 kHz, {allocated / 1e6:0.0} MB allocated ({(double)allocated / samples:0.00} bytes a sample)");
        Assert.That(call.DurationSeconds, Is.EqualTo((Repeats + 1) * 82.7).Within(1), "sox made the call this long");
        Assert.That(call.Channels.IsSeparated, Is.True, "agent and customer on their own tracks");
        Assert.That(samples, Is.EqualTo(2 * (long)Math.Ceiling(call.DurationSeconds * CallProcessor.ModelSampleRate)).Within(2));
        // Floats would take 4 bytes a 16 kHz sample (a two-hour stereo call 0.93 GB); the 8 kHz samples held as 16 bits
        // take 1, and decoding and voice activity add little (read buffers, filter state, 20 ms frame levels).
        var held = call.Channels.Tracks.Sum(t => t.Samples.MemoryBytes);
        Assert.That(held, Is.LessThanOrEqualTo(samples), "the tracks take at most 1 byte a 16 kHz sample: the 8 kHz samples, 16 bits each");
        Assert.That(allocated, Is.LessThan(samples * 3 / 2), "decoding and voice activity allocate little beyond the tracks themselves");
    }

    [Test]
    public async Task TranscribeAsync_CallOfManyWindows_ReportsGrowingProgressBeforeItEnds()
    {
        using var model = WhisperModel.Load(WhisperModel.DefaultModelFolder);
        var processor = new CallProcessor(new AudioDecoder(), new WhisperTranscriber(model), new ScanSettings { Language = "pl" }, ["pl"]);
        var call = processor.Prepare(CallJob.ForFile(_shorter, "shorter-call.wav", "kkowalska"), CancellationToken.None);
        var progress = new Recorder();

        var transcript = await processor.TranscribeAsync(call, progress, CancellationToken.None);

        TestContext.Out.WriteLine($"{progress.Values.Count} reports: {string.Join(' ', progress.Values.Select(v => v.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)))}");
        Assert.That(transcript.Utterances, Is.Not.Empty);
        Assert.That(progress.Values, Is.Ordered, "progress never goes back");
        Assert.That(progress.Values.Count(v => v < 0.5), Is.GreaterThan(1), "the first half of a long call is reported while it is transcribed, not only at its end");
        Assert.That(progress.Values[^1], Is.GreaterThan(0.9), "the end of the call is reached");
        Assert.That(progress.Values, Is.All.InRange(0.0, 1.0));
    }

    private static void Sox(params string[] args) => ExternalTools.Run(ExternalTools.Require("sox", "sox"), args);

    /// <summary>Keeps every report, synchronously (Progress&lt;T&gt; would post them to the thread pool).</summary>
    private sealed class Recorder : IProgress<double>
    {
        public List<double> Values { get; } = [];

        public void Report(double value)
        {
            lock (Values)
            {
                Values.Add(value);
            }
        }
    }
}
