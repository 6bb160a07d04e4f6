using QualityScan.Models;
using QualityScan.Speech.Audio;

namespace QualityScan.Speech.Tests.Audio;

public sealed class ChannelRolesTests
{
    private static readonly float[] Left = Signals.Sine(440, 8000, 0.5);
    private static readonly float[] Right = Signals.Noise(4000, -20, seed: 1);

    [TestCase("left", AgentChannel.Left)]
    [TestCase("LEFT", AgentChannel.Left)]
    [TestCase(" 0 ", AgentChannel.Left)]
    [TestCase("l", AgentChannel.Left)]
    [TestCase("right", AgentChannel.Right)]
    [TestCase("Right", AgentChannel.Right)]
    [TestCase("1", AgentChannel.Right)]
    public void ParseAgentChannel_AcceptedSpellings(string text, AgentChannel expected)
    {
        Assert.That(ChannelRoles.ParseAgentChannel(text), Is.EqualTo(expected));
    }

    [TestCase("center")]
    [TestCase("2")]
    [TestCase("")]
    public void ParseAgentChannel_Other_FailsListingTheChoices(string text)
    {
        var error = Assert.Throws<FormatException>(() => ChannelRoles.ParseAgentChannel(text))!;

        Assert.That(error.Message, Does.Contain($"'{text}'").And.Contain("'left'").And.Contain("'right'"));
        Assert.That(ChannelRoles.TryParseAgentChannel(text, out _), Is.False);
    }

    [Test]
    public void Assign_StereoByDefault_AgentIsLeft()
    {
        var roles = ChannelRoles.Assign(new AudioData(8000, [Left, Right]));

        Assert.That(roles.IsSeparated, Is.True);
        Assert.That(roles.Agent!.Floats, Is.SameAs(Left));
        Assert.That(roles.Customer!.Floats, Is.SameAs(Right));
        Assert.That(roles.Tracks.Select(t => t.Speaker), Is.EqualTo(new[] { Speaker.Agent, Speaker.Customer }));
        Assert.That(roles.Mixed, Is.Null);
    }

    [Test]
    public void Assign_AgentOnRight_SwapsTheParties()
    {
        var roles = ChannelRoles.Assign(new AudioData(8000, [Left, Right]), AgentChannel.Right);

        Assert.That(roles.Agent!.Floats, Is.SameAs(Right));
        Assert.That(roles.Customer!.Floats, Is.SameAs(Left));
    }

    [Test]
    public void Assign_Mono_IsOneUnknownTrack()
    {
        var roles = ChannelRoles.Assign(new AudioData(16000, [Left]));

        Assert.That(roles.IsSeparated, Is.False);
        Assert.That(roles.Tracks.Single().Speaker, Is.EqualTo(Speaker.Unknown));
        Assert.That(roles.Mixed!.Floats, Is.SameAs(Left));
        Assert.That(roles.SampleRate, Is.EqualTo(16000));
    }

    [Test]
    public void Assign_StereoWithTheSameSignalTwice_IsTreatedAsMono()
    {
        float[] copy = Left.Select(x => (x * 0.5f) + 1e-5f).ToArray();

        var roles = ChannelRoles.Assign(new AudioData(8000, [Left, copy]));

        Assert.That(roles.IsSeparated, Is.False, "a mono call saved as stereo would otherwise overlap itself everywhere");
        Assert.That(roles.Tracks.Single().Speaker, Is.EqualTo(Speaker.Unknown));
    }

    [Test]
    public void Assign_StereoWithOneSilentChannel_StaysSeparated()
    {
        var roles = ChannelRoles.Assign(new AudioData(8000, [Left, new float[Left.Length]]));

        Assert.That(roles.IsSeparated, Is.True, "a silent customer is a fact about the call, not a mono file");
    }

    [Test]
    public void Assign_MoreThanTwoChannels_MixesDownToOneUnknownTrack()
    {
        float[][] channels = [[0.3f, 0.6f], [0.3f, 0f], [0f, -0.3f]];

        var roles = ChannelRoles.Assign(new AudioData(8000, channels));

        Assert.That(roles.Tracks.Single().Speaker, Is.EqualTo(Speaker.Unknown));
        Assert.That(roles.Mixed!.ToArray(), Is.EqualTo(new[] { 0.2f, 0.1f }).Within(1e-6f), "every party stays audible");
    }

    [Test]
    public void Assign_GuardsArguments()
    {
        Assert.Throws<ArgumentNullException>(() => ChannelRoles.Assign((AudioData)null!));
        Assert.Throws<ArgumentNullException>(() => ChannelRoles.Assign((AudioTracks)null!));
        Assert.Throws<ArgumentException>(() => ChannelRoles.Assign(new AudioData(8000, [])));
        Assert.Throws<ArgumentOutOfRangeException>(() => ChannelRoles.Assign(new AudioData(8000, [Left, Right]), (AgentChannel)5));
        Assert.Throws<ArgumentNullException>(() => ChannelRoles.ParseAgentChannel(null!));
    }
}
