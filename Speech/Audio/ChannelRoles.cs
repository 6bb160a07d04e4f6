using QualityScan.Models;

namespace QualityScan.Speech.Audio;

/// <summary>Which channel of a stereo recording carries the agent.</summary>
public enum AgentChannel
{
    /// <summary>Channel 0, the left channel (the usual recorder setting).</summary>
    Left = 0,

    /// <summary>Channel 1, the right channel.</summary>
    Right = 1,
}

/// <summary>One party's samples, or both parties' when they share a channel.</summary>
/// <param name="Speaker">Who is heard: agent, customer, or <see cref="Speaker.Unknown"/> for a shared channel.</param>
/// <param name="Samples">The samples, at the recording's sample rate (16-bit in a scan, see <see cref="SampleTrack"/>).</param>
public sealed record SpeakerTrack(Speaker Speaker, SampleTrack Samples);

/// <summary>Assigns the channels of a recording to the agent and the customer.</summary>
/// <remarks>
/// <list type="bullet">
/// <item>Stereo: the agent's channel is <see cref="AgentChannel.Left"/> unless configured otherwise,
/// the customer is the other one. Tracks come agent first.</item>
/// <item>Stereo whose two channels are the same signal (a mono call saved as stereo, possibly at
/// different gains; what one channel does not explain of the other is below -30 dB): treated as mono, since calling one copy the agent and the other the
/// customer would report every word as overlapping speech.</item>
/// <item>Mono: one <see cref="Speaker.Unknown"/> track; checks that need the parties apart report n/a.</item>
/// <item>More than two channels (conference recorders, multitrack exports): mixed down to one
/// <see cref="Speaker.Unknown"/> track. Which channel is whom is not knowable from the file, and
/// picking the first two could drop a party or mislabel one; a mix keeps every word and makes no
/// claim about roles.</item>
/// </list>
/// </remarks>
public sealed class ChannelRoles
{
    /// <summary>Residual level (relative to the signal) below which two channels count as copies of one another.</summary>
    internal const double DualMonoThresholdDb = -30;

    /// <summary>Samples read at a time when a whole channel is scanned.</summary>
    private const int BlockSamples = 1 << 14;

    private ChannelRoles(int sampleRate, IReadOnlyList<SpeakerTrack> tracks)
    {
        SampleRate = sampleRate;
        Tracks = tracks;
    }

    /// <summary>Sample rate of every track, in Hz.</summary>
    public int SampleRate { get; }

    /// <summary>Agent then customer for a separated recording, otherwise one <see cref="Speaker.Unknown"/> track.</summary>
    public IReadOnlyList<SpeakerTrack> Tracks { get; }

    /// <summary>True when agent and customer are on separate tracks.</summary>
    public bool IsSeparated => Tracks.Count == 2;

    /// <summary>The agent's samples, or null when the recording does not separate the parties.</summary>
    public SampleTrack? Agent => Find(Speaker.Agent);

    /// <summary>The customer's samples, or null when the recording does not separate the parties.</summary>
    public SampleTrack? Customer => Find(Speaker.Customer);

    /// <summary>The shared samples of a recording that does not separate the parties, otherwise null.</summary>
    public SampleTrack? Mixed => Find(Speaker.Unknown);

    /// <summary>Splits <paramref name="audio"/> into speaker tracks.</summary>
    /// <param name="audio">The decoded recording; must have at least one channel.</param>
    /// <param name="agentChannel">Which stereo channel is the agent.</param>
    public static ChannelRoles Assign(AudioData audio, AgentChannel agentChannel = AgentChannel.Left)
    {
        ArgumentNullException.ThrowIfNull(audio);
        return Assign(AudioTracks.FromAudio(audio), agentChannel);
    }

    /// <summary>Splits <paramref name="audio"/> into speaker tracks, keeping its tracks as they are held (no copy but a mix-down).</summary>
    /// <param name="audio">The decoded recording; must have at least one channel.</param>
    /// <param name="agentChannel">Which stereo channel is the agent.</param>
    public static ChannelRoles Assign(AudioTracks audio, AgentChannel agentChannel = AgentChannel.Left)
    {
        ArgumentNullException.ThrowIfNull(audio);
        if (audio.Channels.Count == 0)
        {
            throw new ArgumentException("The audio has no channels.", nameof(audio));
        }

        if (!Enum.IsDefined(agentChannel))
        {
            throw new ArgumentOutOfRangeException(nameof(agentChannel), agentChannel, "The agent channel must be left or right.");
        }

        IReadOnlyList<SampleTrack> channels = audio.Channels;
        if (channels.Count == 2 && !AreCopies(channels[0], channels[1]))
        {
            int agent = (int)agentChannel;
            return new ChannelRoles(audio.SampleRate, [new(Speaker.Agent, channels[agent]), new(Speaker.Customer, channels[1 - agent])]);
        }

        SampleTrack mixed = channels.Count == 1 || channels.Count == 2 ? channels[0] : MixDown(channels);
        return new ChannelRoles(audio.SampleRate, [new(Speaker.Unknown, mixed)]);
    }

    /// <summary>Parses a configured agent channel: "left", "right", "0" or "1" (case and surrounding spaces ignored).</summary>
    /// <exception cref="FormatException">Any other text; the message lists the accepted values.</exception>
    public static AgentChannel ParseAgentChannel(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParseAgentChannel(text, out var channel)
            ? channel
            : throw new FormatException($"Agent channel '{text}' is not valid; use 'left' (or '0') or 'right' (or '1').");
    }

    /// <summary>Parses like <see cref="ParseAgentChannel"/>, returning false instead of throwing.</summary>
    public static bool TryParseAgentChannel(string? text, out AgentChannel channel)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "left" or "l" or "0":
                channel = AgentChannel.Left;
                return true;
            case "right" or "r" or "1":
                channel = AgentChannel.Right;
                return true;
            default:
                channel = AgentChannel.Left;
                return false;
        }
    }

    /// <summary>The samples of <paramref name="speaker"/>, or null when no track is theirs.</summary>
    public SampleTrack? Find(Speaker speaker) => Tracks.FirstOrDefault(t => t.Speaker == speaker)?.Samples;

    /// <summary>
    /// True when one channel is the other times a gain, up to a residual below
    /// <see cref="DualMonoThresholdDb"/> (1 - r², r being their correlation).
    /// </summary>
    internal static bool AreCopies(SampleTrack a, SampleTrack b)
    {
        double aa = 0;
        double bb = 0;
        double ab = 0;
        var blockA = new float[BlockSamples];
        var blockB = new float[BlockSamples];
        for (int start = 0; start < a.Length; start += BlockSamples)
        {
            int count = Math.Min(BlockSamples, a.Length - start);
            a.CopyTo(start, blockA.AsSpan(0, count));
            b.CopyTo(start, blockB.AsSpan(0, count));
            for (int i = 0; i < count; i++)
            {
                double x = blockA[i];
                double y = blockB[i];
                aa += x * x;
                bb += y * y;
                ab += x * y;
            }
        }

        if (aa == 0 && bb == 0)
        {
            // Two silent channels: nothing to tell apart, and nothing lost by treating them as one.
            return true;
        }

        if (aa == 0 || bb == 0)
        {
            return false;
        }

        double residual = Math.Max(0, 1 - (ab * ab / (aa * bb)));
        return 10 * Math.Log10(residual + 1e-30) < DualMonoThresholdDb;
    }

    /// <summary>The average of the channels, held as they are (16-bit when any of them is).</summary>
    private static SampleTrack MixDown(IReadOnlyList<SampleTrack> channels)
    {
        int length = channels[0].Length;
        short[]? pcm16 = channels.Any(c => c.IsPcm16) ? new short[length] : null;
        var mixed = new float[pcm16 is null ? length : Math.Min(length, BlockSamples)];
        var block = new float[BlockSamples];
        float scale = 1f / channels.Count;
        for (int start = 0; start < length; start += BlockSamples)
        {
            int count = Math.Min(BlockSamples, length - start);
            Span<float> sum = pcm16 is null ? mixed.AsSpan(start, count) : mixed.AsSpan(0, count);
            sum.Clear();
            foreach (var channel in channels)
            {
                channel.CopyTo(start, block.AsSpan(0, count));
                for (int i = 0; i < count; i++)
                {
                    sum[i] += block[i] * scale;
                }
            }

            if (pcm16 is not null)
            {
                SampleTrack.ToPcm16(sum, pcm16.AsSpan(start, count));
            }
        }

        return pcm16 is null ? SampleTrack.FromFloats(mixed) : SampleTrack.FromPcm16(pcm16);
    }
}
