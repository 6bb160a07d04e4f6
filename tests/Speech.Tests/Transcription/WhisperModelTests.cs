using System.Text;
using QualityScan.Speech.Transcription;

namespace QualityScan.Speech.Tests.Transcription;

[TestFixture]
public sealed class WhisperModelTests
{
    private string _folder = string.Empty;

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "qualityscan-model-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void DeleteFolder()
    {
        Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public void Load_MissingFolder_ThrowsModelNotFoundWithGuidance()
    {
        var missing = Path.Combine(_folder, "nope");

        var error = Assert.Throws<ModelNotFoundException>(() => WhisperModel.Load(missing));

        Assert.That(error!.MissingPath, Is.EqualTo(missing));
        Assert.That(error.Message, Does.Contain(missing).And.Contain("sherpa-onnx").And.Contain("--model"), "the user must learn where real models come from");
    }

    [Test]
    public void Load_FolderWithoutTokens_ThrowsNamingTokensFile()
    {
        Touch("encoder.int8.onnx", "decoder.int8.onnx");

        var error = Assert.Throws<ModelNotFoundException>(() => WhisperModel.Load(_folder));

        Assert.That(error!.MissingPath, Is.EqualTo(Path.Combine(_folder, "tokens.txt")));
        Assert.That(error.Message, Does.Contain("tokens.txt").And.Contain("sherpa-onnx"));
    }

    [Test]
    public void Load_MissingDecoder_ThrowsNamingDecoder()
    {
        Touch("encoder.int8.onnx", "tokens.txt");

        var error = Assert.Throws<ModelNotFoundException>(() => WhisperModel.Load(_folder));

        Assert.That(error!.Message, Does.Contain("decoder.int8.onnx"));
    }

    [Test]
    public void Load_Int8AskedButOnlyFloat32Present_SaysTheOtherPairExists()
    {
        Touch("encoder.onnx", "decoder.onnx", "tokens.txt");

        var error = Assert.Throws<ModelNotFoundException>(() => WhisperModel.Load(_folder, new WhisperModelOptions { Precision = WhisperPrecision.Int8 }));

        Assert.That(error!.Message, Does.Contain("encoder.int8.onnx").And.Contain("float32").And.Contain("--precision float32"));
    }

    [Test]
    public void Load_Float32AskedButOnlyInt8Present_SaysTheOtherPairExists()
    {
        Touch("encoder.int8.onnx", "decoder.int8.onnx", "tokens.txt");

        var error = Assert.Throws<ModelNotFoundException>(() => WhisperModel.Load(_folder, new WhisperModelOptions { Precision = WhisperPrecision.Float32 }));

        Assert.That(error!.Message, Does.Contain("encoder.onnx").And.Contain("int8"));
    }

    [Test]
    public void Load_EncoderNotAnOnnxFile_ThrowsInvalidModelNamingIt()
    {
        Touch("decoder.int8.onnx", "tokens.txt");
        File.WriteAllText(Path.Combine(_folder, "encoder.int8.onnx"), "not a model");

        var error = Assert.Throws<InvalidModelException>(() => WhisperModel.Load(_folder));

        Assert.That(error!.Path, Is.EqualTo(Path.Combine(_folder, "encoder.int8.onnx")));
    }

    [Test]
    public void Load_ZeroThreads_Throws()
    {
        Assert.That(() => WhisperModel.Load(_folder, new WhisperModelOptions { IntraOpThreads = 0 }), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    [Category("model")]
    public void Load_ShippedDemoModel_ReadsMetadataAndTokens()
    {
        using var model = WhisperModel.Load(WhisperModel.DefaultModelFolder);
        var info = model.Info;

        TestContext.Out.WriteLine(string.Join(Environment.NewLine, info.Metadata.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key} = {kv.Value}")));
        Assert.That(model.Precision, Is.EqualTo(WhisperPrecision.Int8));
        Assert.That((info.MelBins, info.AudioContext, info.TextLayers, info.TextContext, info.TextState, info.VocabularySize), Is.EqualTo((80, 1500, 3, 448, 256, 2535)));
        Assert.That((info.StartOfTranscript, info.EndOfText, info.Transcribe, info.Translate, info.NoTimestamps, info.TimestampBegin), Is.EqualTo((1025, 1024, 1029, 1028, 1033, 1034)));
        Assert.That(info.LanguageCodes, Is.EqualTo(new[] { "pl", "cs" }));
        Assert.That(info.LanguageTokens, Is.EqualTo(new[] { 1026, 1027 }));
        Assert.That(info.StartOfTranscriptSequence, Is.EqualTo(new[] { 1025, 1026, 1029 }));
        Assert.That(info.NonSpeechTokens, Is.Empty, "the demo export lists no non-speech tokens");
        Assert.That(model.Tokenizer.Count, Is.EqualTo(1024));
        Assert.That(info.TranscriptionPrompt(info.GetLanguageToken("CS")), Is.EqualTo(new[] { 1025, 1027, 1029, 1033 }));
    }

    [Test]
    [Category("model")]
    public void GetLanguageToken_UnknownCode_ThrowsListingTheModelsCodes()
    {
        using var model = WhisperModel.Load(WhisperModel.DefaultModelFolder);

        var error = Assert.Throws<UnknownLanguageException>(() => model.Info.GetLanguageToken("de"));

        Assert.That(error!.AvailableCodes, Is.EqualTo(new[] { "pl", "cs" }));
        Assert.That(error.Message, Does.Contain("'de'").And.Contain("pl, cs").And.Contain("auto"));
    }

    [Test]
    public void FromMetadata_MissingKey_NamesTheKeyAndFile()
    {
        var metadata = DemoMetadata();
        metadata.Remove("eot");

        var error = Assert.Throws<InvalidModelException>(() => WhisperModelInfo.FromMetadata(metadata, "encoder.onnx"));

        Assert.That(error!.Message, Does.StartWith("encoder.onnx:").And.Contain("'eot'"));
    }

    [Test]
    public void FromMetadata_LanguageListsOfDifferentLength_Throws()
    {
        var metadata = DemoMetadata();
        metadata["all_language_codes"] = "pl";

        Assert.That(() => WhisperModelInfo.FromMetadata(metadata, "encoder.onnx"), Throws.TypeOf<InvalidModelException>().With.Message.Contains("parallel"));
    }

    [Test]
    public void FromMetadata_DemoLayout_ParsesListsAndTokens()
    {
        var info = WhisperModelInfo.FromMetadata(DemoMetadata(), "encoder.onnx");

        Assert.That(info.GetLanguageCode(1027), Is.EqualTo("cs"));
        Assert.That(info.NonSpeechTokens, Is.Empty);
        Assert.That(info.AudioState, Is.EqualTo(256));
    }

    [Test]
    public void Tokenizer_LetterSplitOverTwoTokens_DecodesToThePolishLetter()
    {
        // "ę" is C4 99 in UTF-8; "się" arrives as " si" + C4 + 99.
        WriteTokens((0, " si"u8.ToArray()), (1, [0xC4]), (2, [0x99]), (3, "ść"u8.ToArray()));

        var tokenizer = WhisperTokenizer.Load(Path.Combine(_folder, "tokens.txt"), endOfText: 4);

        Assert.That(tokenizer.Decode([0, 1, 2]), Is.EqualTo(" się"));
        Assert.That(tokenizer.Decode([3, 4, 1000]), Is.EqualTo("ść"), "end-of-text and special ids are skipped");
        Assert.That(tokenizer.Decode([0, 1]), Is.EqualTo(" si\uFFFD"), "a letter cut in half becomes the replacement character");
    }

    [Test]
    public void Tokenizer_MalformedLine_NamesFileAndLine()
    {
        File.WriteAllText(Path.Combine(_folder, "tokens.txt"), "IQ== 0\nnot-a-token-line\n");

        var error = Assert.Throws<InvalidModelException>(() => WhisperTokenizer.Load(Path.Combine(_folder, "tokens.txt"), endOfText: 2));

        Assert.That(error!.Message, Does.Contain("tokens.txt").And.Contain("line 2"));
    }

    [Test]
    public void Tokenizer_MissingId_Throws()
    {
        WriteTokens((0, "a"u8.ToArray()), (2, "b"u8.ToArray()));

        Assert.That(() => WhisperTokenizer.Load(Path.Combine(_folder, "tokens.txt"), endOfText: 3), Throws.TypeOf<InvalidModelException>().With.Message.Contains("token 1 is missing"));
    }

    [Test]
    public void Tokenizer_IdAtEndOfText_SaysTheTableBelongsToAnotherModel()
    {
        WriteTokens((0, "a"u8.ToArray()), (1, "b"u8.ToArray()));

        Assert.That(() => WhisperTokenizer.Load(Path.Combine(_folder, "tokens.txt"), endOfText: 1), Throws.TypeOf<InvalidModelException>().With.Message.Contains("does not belong"));
    }

    [Test]
    public void Tokenizer_LonePaddingCharacter_IsAnEmptyToken()
    {
        File.WriteAllText(Path.Combine(_folder, "tokens.txt"), "YQ== 0\n= 1\n");

        var tokenizer = WhisperTokenizer.Load(Path.Combine(_folder, "tokens.txt"), endOfText: 2);

        Assert.That(tokenizer.GetBytes(1).Length, Is.Zero);
        Assert.That(tokenizer.Decode([0, 1, 0]), Is.EqualTo("aa"));
    }

    [Test]
    [Category("model")]
    public void Tokenizer_ShippedModel_DecodesPolishGreeting()
    {
        using var model = WhisperModel.Load(WhisperModel.DefaultModelFolder);
        int[] ids = [421, 397, 11, 987, 11, 444, 392, 295, 343, 306, 11, 675, 447, 70, 465, 285, 283, 310, 499, 334, 74, 13, 310, 432, 400, 352, 84, 403, 30];

        Assert.That(model.Tokenizer.Decode(ids), Is.EqualTo(" Dzień dobry, Teleplus, dział rozliczeń, mówi Magdalena Wójcik. W czym mogę Panu pomóc?"));
    }

    private void Touch(params string[] names)
    {
        foreach (var name in names)
        {
            File.WriteAllBytes(Path.Combine(_folder, name), []);
        }
    }

    private void WriteTokens(params (int Id, byte[] Bytes)[] tokens)
    {
        var text = new StringBuilder();
        foreach (var (id, bytes) in tokens)
        {
            text.Append(Convert.ToBase64String(bytes)).Append(' ').Append(id).Append('\n');
        }

        File.WriteAllText(Path.Combine(_folder, "tokens.txt"), text.ToString());
    }

    private static Dictionary<string, string> DemoMetadata() => new()
    {
        ["n_mels"] = "80", ["n_audio_ctx"] = "1500", ["n_audio_state"] = "256", ["n_text_layer"] = "3", ["n_text_ctx"] = "448",
        ["n_text_state"] = "256", ["n_vocab"] = "2535", ["sot"] = "1025", ["eot"] = "1024", ["sot_sequence"] = "1025,1026,1029",
        ["all_language_tokens"] = "1026,1027", ["all_language_codes"] = "pl,cs", ["transcribe"] = "1029", ["translate"] = "1028",
        ["no_timestamps"] = "1033", ["no_speech"] = "1032", ["sot_prev"] = "1031", ["sot_lm"] = "1030", ["blank_id"] = "220",
        ["non_speech_tokens"] = string.Empty,
    };
}
