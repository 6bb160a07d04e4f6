using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace QualityScan.Analyzers.Rules;

/// <summary>
/// Wraps a YAML parser and remembers the key path and line it has reached, so that a syntax error deep in a
/// rule file can be reported as "line 40, key checks.closing.farewell_phrases[3]".
/// </summary>
internal sealed class KeyTrackingParser : IParser
{
    private readonly IParser _inner;
    private readonly List<Frame> _frames = [];

    public KeyTrackingParser(IParser inner)
    {
        _inner = inner;
    }

    public ParsingEvent? Current => _inner.Current;

    /// <summary>1-based line of the last event read, 1 before any.</summary>
    public int LastLine { get; private set; } = 1;

    /// <summary>Dotted key path of the last node read ("checks.greeting.weight"), empty at the top.</summary>
    public string CurrentPath
    {
        get
        {
            var parts = new List<string>();
            foreach (var frame in _frames)
            {
                if (frame.IsMapping && frame.Key is not null)
                {
                    parts.Add(parts.Count == 0 ? frame.Key : "." + frame.Key);
                }
                else if (!frame.IsMapping && frame.Index >= 0)
                {
                    parts.Add($"[{frame.Index}]");
                }
            }

            return string.Concat(parts);
        }
    }

    public bool MoveNext()
    {
        if (!_inner.MoveNext())
        {
            return false;
        }

        var current = _inner.Current!;
        LastLine = (int)Math.Max(1, current.Start.Line);
        switch (current)
        {
            case MappingStart:
            case SequenceStart:
                BeginNode(null);
                _frames.Add(new Frame(current is MappingStart));
                break;
            case Scalar scalar:
                BeginNode(scalar.Value);
                EndNode();
                break;
            case AnchorAlias:
                BeginNode(null);
                EndNode();
                break;
            case MappingEnd:
            case SequenceEnd:
                if (_frames.Count > 0)
                {
                    _frames.RemoveAt(_frames.Count - 1);
                }

                EndNode();
                break;
        }

        return true;
    }

    private void BeginNode(string? scalarValue)
    {
        if (_frames.Count == 0)
        {
            return;
        }

        var frame = _frames[^1];
        if (!frame.IsMapping)
        {
            frame.Index++;
        }
        else if (!frame.AwaitingValue)
        {
            frame.Key = scalarValue ?? "?";
        }
    }

    private void EndNode()
    {
        if (_frames.Count > 0 && _frames[^1].IsMapping)
        {
            _frames[^1].AwaitingValue = !_frames[^1].AwaitingValue;
        }
    }

    private sealed class Frame(bool isMapping)
    {
        public bool IsMapping { get; } = isMapping;

        public bool AwaitingValue { get; set; }

        public string? Key { get; set; }

        public int Index { get; set; } = -1;
    }
}
