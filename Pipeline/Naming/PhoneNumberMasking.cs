using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace QualityScan.Pipeline.Naming;

/// <summary>What happens to customer phone numbers found in recording names.</summary>
public enum PhoneNumberMode
{
    /// <summary>All digits but the last <see cref="PhoneNumberMasking.DigitsKept"/> become <c>x</c> (default).</summary>
    Mask,

    /// <summary>The number becomes <c>h</c> and 10 hex digits of its SHA-256: calls of one number stay linkable, the number is not shown.</summary>
    Hash,

    /// <summary>Numbers are kept as they are (only when the reports may show them).</summary>
    Keep,
}

/// <summary>
/// Keeps customer phone numbers out of call ids and the file names shown in reports: the number a telephony system
/// puts in a recording's name (<c>20261129-093012_48601234567_in.wav</c>) is masked or hashed.
/// </summary>
/// <remarks>
/// A file-name pattern names the number with its <c>phone</c> group; anywhere else, a run of 9 to 13 digits is taken
/// for a phone number (Polish and Czech numbers have 9 digits, 11 with the country code, 13 with 00). Shorter runs
/// (dates, times, ids) and longer ones (yyyyMMddHHmmss stamps) are left alone. A hash is pseudonymous, not
/// anonymous: phone numbers are few enough to be tried one by one.
/// </remarks>
/// <param name="Mode">Mask (default), hash or keep.</param>
/// <param name="DigitsKept">Trailing digits a mask leaves visible (default 3).</param>
public sealed partial record PhoneNumberMasking(PhoneNumberMode Mode = PhoneNumberMode.Mask, int DigitsKept = 3)
{
    /// <summary>The default: mask all but the last 3 digits.</summary>
    public static PhoneNumberMasking Default { get; } = new();

    /// <summary>The masked (or hashed) form of one phone number.</summary>
    public string MaskNumber(string number)
    {
        ArgumentNullException.ThrowIfNull(number);
        switch (Mode)
        {
            case PhoneNumberMode.Keep:
                return number;
            case PhoneNumberMode.Hash:
                var digits = new string(number.Where(char.IsAsciiDigit).ToArray());
                return "h" + Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(digits)))[..10];
            default:
                var chars = number.ToCharArray();
                var seen = 0;
                for (var i = chars.Length - 1; i >= 0; i--)
                {
                    if (char.IsAsciiDigit(chars[i]) && ++seen > DigitsKept)
                    {
                        chars[i] = 'x';
                    }
                }

                return new string(chars);
        }
    }

    /// <summary><paramref name="text"/> with every run of 9 to 13 digits masked.</summary>
    public string MaskDigitRuns(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Mode == PhoneNumberMode.Keep ? text : PhoneLikeRun().Replace(text, m => MaskNumber(m.Value));
    }

    [GeneratedRegex(@"(?<!\d)\+?\d{9,13}(?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex PhoneLikeRun();
}
