using QualityScan.Pipeline.Naming;

namespace QualityScan.Pipeline.Tests.Naming;

[TestFixture]
public sealed class FileNameConventionTests
{
    /// <summary>The telephony layout <c>2026-11-29/agent_1043/20261129-093012_48601234567_in.wav</c>.</summary>
    public const string TelephonyPattern = @"^(?<date>\d{4}-\d{2}-\d{2})/agent_(?<agent>[^/]+)/(?<datetime>\d{8}-\d{6})_(?<phone>\d+)_(?<direction>in|out)\.(?<ext>\w+)$";

    private static readonly TimeZoneInfo Warsaw = LocalTime.Zone("Europe/Warsaw");

    private static FileNameConvention Convention(PhoneNumberMasking? masking = null) => new(TelephonyPattern, Warsaw, masking ?? PhoneNumberMasking.Default);

    [Test]
    public void Describe_TelephonyPath_ReadsAgentTimeDirectionAndMasksThePhoneNumber()
    {
        var job = Convention().Describe("/in", "2026-11-29/agent_1043/20261129-093012_48601234567_in.wav");

        Assert.That(job.AgentId, Is.EqualTo("1043"));
        Assert.That(job.CallId, Is.EqualTo("20261129-093012_xxxxxxxx567_in"), "the call id keeps the time and direction but not the customer's number");
        Assert.That(job.RelativePath, Is.EqualTo("2026-11-29/agent_1043/20261129-093012_xxxxxxxx567_in.wav"), "reports show the path without the number");
        Assert.That(job.AudioPath, Is.EqualTo(Path.Combine("/in", "2026-11-29/agent_1043/20261129-093012_48601234567_in.wav")), "the real file is still read");
        Assert.That(job.StartedAt, Is.EqualTo(new DateTimeOffset(2026, 11, 29, 9, 30, 12, TimeSpan.FromHours(1))), "November is winter time in Warsaw (+01:00)");
        Assert.That(job.Direction, Is.EqualTo("in"));
    }

    [TestCase("2026-03-29/agent_7/20260329-013000_48601234567_out.wav", 2026, 3, 29, 0, 30, TestName = "Describe_BeforeSpringChange_WinterOffset")]
    [TestCase("2026-03-29/agent_7/20260329-033000_48601234567_out.wav", 2026, 3, 29, 1, 30, TestName = "Describe_AfterSpringChange_SummerOffset")]
    [TestCase("2026-03-29/agent_7/20260329-023000_48601234567_out.wav", 2026, 3, 29, 1, 30, TestName = "Describe_SkippedSpringHour_ReadWithTheOffsetBeforeTheChange")]
    [TestCase("2026-10-25/agent_7/20261025-013000_48601234567_out.wav", 2026, 10, 24, 23, 30, TestName = "Describe_BeforeAutumnChange_SummerOffset")]
    [TestCase("2026-10-25/agent_7/20261025-023000_48601234567_out.wav", 2026, 10, 25, 0, 30, TestName = "Describe_RepeatedAutumnHour_FirstOccurrence")]
    [TestCase("2026-10-25/agent_7/20261025-033000_48601234567_out.wav", 2026, 10, 25, 2, 30, TestName = "Describe_AfterAutumnChange_WinterOffset")]
    public void Describe_AcrossDaylightSavingChanges_LocalWarsawTimeToTheRightInstant(string path, int year, int month, int day, int hourUtc, int minuteUtc)
    {
        var job = Convention().Describe("/in", path);

        Assert.That(job.StartedAt?.UtcDateTime, Is.EqualTo(new DateTime(year, month, day, hourUtc, minuteUtc, 0, DateTimeKind.Utc)),
            "2026 changes: 29 March 02:00 -> 03:00 (+01 -> +02), 25 October 03:00 -> 02:00 (+02 -> +01)");
    }

    [Test]
    public void Describe_SameWallClockInPrague_SameInstantAsWarsaw()
    {
        var prague = new FileNameConvention(TelephonyPattern, LocalTime.Zone("Europe/Prague"), PhoneNumberMasking.Default);
        var utc = new FileNameConvention(TelephonyPattern, TimeZoneInfo.Utc, PhoneNumberMasking.Default);
        const string path = "2026-07-01/agent_7/20260701-120000_48601234567_in.wav";

        Assert.That(prague.Describe("/in", path).StartedAt!.Value.UtcDateTime, Is.EqualTo(new DateTime(2026, 7, 1, 10, 0, 0, DateTimeKind.Utc)));
        Assert.That(utc.Describe("/in", path).StartedAt!.Value.UtcDateTime, Is.EqualTo(new DateTime(2026, 7, 1, 12, 0, 0, DateTimeKind.Utc)), "the zone is what decides");
    }

    [Test]
    public void Describe_PathNotMatchingThePattern_FolderRuleWithDigitRunsMasked()
    {
        var job = Convention().Describe("/in", "misc/call_601234567.wav");

        Assert.That(job.AgentId, Is.EqualTo("misc"));
        Assert.That(job.CallId, Is.EqualTo("call_xxxxxx567"), "a 9-digit run is taken for a phone number even without a pattern");
        Assert.That(job.StartedAt, Is.Null);
    }

    [Test]
    public void Describe_HashMode_SameNumberSameHashAndNoDigitsShown()
    {
        var convention = Convention(new PhoneNumberMasking(PhoneNumberMode.Hash));
        var a = convention.Describe("/in", "2026-11-29/agent_1/20261129-093012_48601234567_in.wav");
        var b = convention.Describe("/in", "2026-11-29/agent_2/20261129-101500_48601234567_out.wav");

        var hashA = a.CallId.Split('_')[1];
        Assert.That(hashA, Does.Match("^h[0-9a-f]{10}$"));
        Assert.That(b.CallId.Split('_')[1], Is.EqualTo(hashA), "calls of one number stay linkable");
        Assert.That(a.RelativePath, Does.Not.Contain("48601234567"));
    }

    [Test]
    public void Describe_KeepMode_NumberStays()
    {
        var job = Convention(new PhoneNumberMasking(PhoneNumberMode.Keep)).Describe("/in", "2026-11-29/agent_1/20261129-093012_48601234567_in.wav");

        Assert.That(job.CallId, Is.EqualTo("20261129-093012_48601234567_in"));
    }

    [TestCase("48601234567", 3, "xxxxxxxx567")]
    [TestCase("+48 601 234 567", 4, "+xx xxx xx4 567")]
    [TestCase("601234567", 0, "xxxxxxxxx")]
    public void MaskNumber_KeepsOnlyTheConfiguredTrailingDigits(string number, int kept, string expected) =>
        Assert.That(new PhoneNumberMasking(PhoneNumberMode.Mask, kept).MaskNumber(number), Is.EqualTo(expected));

    [TestCase("20261129-093012", "20261129-093012", TestName = "MaskDigitRuns_DateAndTime_Untouched")]
    [TestCase("20261129093012", "20261129093012", TestName = "MaskDigitRuns_FourteenDigitStamp_Untouched")]
    [TestCase("rec_0048601234567_x", "rec_xxxxxxxxxx567_x", TestName = "MaskDigitRuns_ThirteenDigitsWith00_Masked")]
    public void MaskDigitRuns_OnlyPhoneLengthRuns(string text, string expected) =>
        Assert.That(PhoneNumberMasking.Default.MaskDigitRuns(text), Is.EqualTo(expected));

    [Test]
    public void Constructor_UnknownGroup_NamesItAndTheAllowedOnes()
    {
        var ex = Assert.Throws<ArgumentException>(() => _ = new FileNameConvention("(?<agnet>.+)", Warsaw, PhoneNumberMasking.Default));

        Assert.That(ex!.Message, Does.Contain("(?<agnet>)").And.Contain("agent"));
    }
}
