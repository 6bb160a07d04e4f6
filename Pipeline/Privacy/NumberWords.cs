using System.Text;

namespace QualityScan.Pipeline.Privacy;

/// <summary>
/// Polish and Czech number words as customers read digits out ("osiemdziesiąt pięć zero trzy", "čtyři pět šest",
/// "tři sta dvanáct"), turned into the digits they say: each group of hundreds, tens and units becomes its digits
/// ("trzydzieści cztery" = 34, "sto pięć" = 105), and groups follow each other as spoken.
/// </summary>
/// <remarks>Words are matched folded (lower case, no diacritics), so "pięć", "piec" and "PIĘĆ" are one word.</remarks>
public static class NumberWords
{
    private enum Kind
    {
        Unit,
        Teen,
        Tens,
        Hundreds,
        Multiplier,
    }

    private static readonly Dictionary<string, (Kind Kind, int Value)> Words = Build();

    /// <summary>True when folded word <paramref name="folded"/> is a number word.</summary>
    public static bool IsNumberWord(string folded) => Words.ContainsKey(folded);

    /// <summary>
    /// Appends the digits of one run of tokens (folded number words, or digit groups as written) to <paramref name="digits"/>;
    /// false when a word cannot continue the number (a Czech "sta" with no unit before it).
    /// </summary>
    public static bool TryAppend(IEnumerable<string> tokens, StringBuilder digits)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(digits);
        var group = new Group();
        foreach (var token in tokens)
        {
            if (token.Length > 0 && char.IsAsciiDigit(token[0]))
            {
                group.Flush(digits);
                digits.Append(token);
                continue;
            }

            if (!Words.TryGetValue(token, out var word))
            {
                return false;
            }

            if (!group.Add(word.Kind, word.Value, digits))
            {
                return false;
            }
        }

        group.Flush(digits);
        return true;
    }

    private static Dictionary<string, (Kind, int)> Build()
    {
        var words = new Dictionary<string, (Kind, int)>(StringComparer.Ordinal);
        void Add(Kind kind, int value, params string[] forms)
        {
            foreach (var form in forms)
            {
                words[form] = (kind, value);
            }
        }

        // Polish, then Czech, folded.
        Add(Kind.Unit, 0, "zero", "nula");
        Add(Kind.Unit, 1, "jeden", "jedna", "jedno", "jednicka");
        Add(Kind.Unit, 2, "dwa", "dwie", "dva", "dve");
        Add(Kind.Unit, 3, "trzy", "tri");
        Add(Kind.Unit, 4, "cztery", "ctyri");
        Add(Kind.Unit, 5, "piec", "pet");
        Add(Kind.Unit, 6, "szesc", "sest");
        Add(Kind.Unit, 7, "siedem", "sedm");
        Add(Kind.Unit, 8, "osiem", "osm");
        Add(Kind.Unit, 9, "dziewiec", "devet");
        Add(Kind.Teen, 10, "dziesiec", "deset");
        Add(Kind.Teen, 11, "jedenascie", "jedenact");
        Add(Kind.Teen, 12, "dwanascie", "dvanact");
        Add(Kind.Teen, 13, "trzynascie", "trinact");
        Add(Kind.Teen, 14, "czternascie", "ctrnact");
        Add(Kind.Teen, 15, "pietnascie", "patnact");
        Add(Kind.Teen, 16, "szesnascie", "sestnact");
        Add(Kind.Teen, 17, "siedemnascie", "sedmnact");
        Add(Kind.Teen, 18, "osiemnascie", "osmnact");
        Add(Kind.Teen, 19, "dziewietnascie", "devatenact");
        Add(Kind.Tens, 20, "dwadziescia", "dvacet");
        Add(Kind.Tens, 30, "trzydziesci", "tricet");
        Add(Kind.Tens, 40, "czterdziesci", "ctyricet");
        Add(Kind.Tens, 50, "piecdziesiat", "padesat");
        Add(Kind.Tens, 60, "szescdziesiat", "sedesat");
        Add(Kind.Tens, 70, "siedemdziesiat", "sedmdesat");
        Add(Kind.Tens, 80, "osiemdziesiat", "osmdesat");
        Add(Kind.Tens, 90, "dziewiecdziesiat", "devadesat");
        Add(Kind.Hundreds, 100, "sto");
        Add(Kind.Hundreds, 200, "dwiescie", "dveste");
        Add(Kind.Hundreds, 300, "trzysta");
        Add(Kind.Hundreds, 400, "czterysta");
        Add(Kind.Hundreds, 500, "piecset");
        Add(Kind.Hundreds, 600, "szescset");
        Add(Kind.Hundreds, 700, "siedemset");
        Add(Kind.Hundreds, 800, "osiemset");
        Add(Kind.Hundreds, 900, "dziewiecset");
        Add(Kind.Multiplier, 100, "sta", "set", "ste");
        return words;
    }

    /// <summary>One spoken group: [hundreds] [tens or teen] [unit].</summary>
    private struct Group
    {
        private int? _hundreds;
        private int? _tens;
        private int? _unit;
        private bool _teen;

        public bool Add(Kind kind, int value, StringBuilder digits)
        {
            switch (kind)
            {
                case Kind.Unit:
                    if (_unit is null && !_teen && (_tens is not null || _hundreds is not null))
                    {
                        _unit = value;
                        return true;
                    }

                    Flush(digits);
                    _unit = value;
                    return true;
                case Kind.Teen or Kind.Tens:
                    if (_hundreds is not null && _tens is null && _unit is null)
                    {
                        _tens = value;
                        _teen = kind == Kind.Teen;
                        return true;
                    }

                    Flush(digits);
                    _tens = value;
                    _teen = kind == Kind.Teen;
                    return true;
                case Kind.Hundreds:
                    Flush(digits);
                    _hundreds = value;
                    return true;
                default:
                    // Czech "tři sta", "pět set": the unit just said becomes the hundreds.
                    if (_unit is { } unit && _tens is null && _hundreds is null && unit > 1)
                    {
                        _unit = null;
                        _hundreds = unit * value;
                        return true;
                    }

                    return false;
            }
        }

        public void Flush(StringBuilder digits)
        {
            if (_hundreds is { } h)
            {
                digits.Append((h + (_tens ?? 0) + (_unit ?? 0)).ToString("000", System.Globalization.CultureInfo.InvariantCulture));
            }
            else if (_tens is { } t)
            {
                digits.Append((t + (_unit ?? 0)).ToString("00", System.Globalization.CultureInfo.InvariantCulture));
            }
            else if (_unit is { } u)
            {
                digits.Append((char)('0' + u));
            }

            this = default;
        }
    }
}
