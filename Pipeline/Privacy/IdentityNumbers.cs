namespace QualityScan.Pipeline.Privacy;

/// <summary>The check rules of the identity, card and account numbers the masker recognises, over a string of digits.</summary>
public static class IdentityNumbers
{
    private static readonly int[] PeselWeights = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];

    /// <summary>True for an 11-digit PESEL whose last digit is its check digit and whose first six digits are a date.</summary>
    public static bool IsPesel(string digits)
    {
        ArgumentNullException.ThrowIfNull(digits);
        if (digits.Length != 11 || !digits.All(char.IsAsciiDigit))
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < 10; i++)
        {
            sum += (digits[i] - '0') * PeselWeights[i];
        }

        if ((10 - (sum % 10)) % 10 != digits[10] - '0')
        {
            return false;
        }

        // The month carries the century: +80 (1800s), +0, +20, +40, +60.
        var month = ((digits[2] - '0') * 10) + (digits[3] - '0');
        var day = ((digits[4] - '0') * 10) + (digits[5] - '0');
        return month % 20 is >= 1 and <= 12 && day is >= 1 and <= 31;
    }

    /// <summary>
    /// True for a Czech (or Slovak) birth number: 10 digits divisible by 11 (or, before 1986, remainder 10 with a last digit
    /// 0), or 9 digits (births before 1954); the first six are a date with the month +50 for women (+20 and +70 since 2004).
    /// </summary>
    public static bool IsBirthNumber(string digits)
    {
        ArgumentNullException.ThrowIfNull(digits);
        if (digits.Length is not (9 or 10) || !digits.All(char.IsAsciiDigit))
        {
            return false;
        }

        var month = ((digits[2] - '0') * 10) + (digits[3] - '0');
        var day = ((digits[4] - '0') * 10) + (digits[5] - '0');
        if (!(month is >= 1 and <= 12 or >= 21 and <= 32 or >= 51 and <= 62 or >= 71 and <= 82) || day is < 1 or > 31)
        {
            return false;
        }

        if (digits.Length == 9)
        {
            return true;
        }

        var value = long.Parse(digits, System.Globalization.CultureInfo.InvariantCulture);
        var firstNine = value / 10;
        var check = firstNine % 11;
        return value % 11 == 0 || (check == 10 && digits[9] == '0');
    }

    /// <summary>True for 13-19 digits whose Luhn sum is a multiple of ten (payment cards).</summary>
    public static bool IsCard(string digits)
    {
        ArgumentNullException.ThrowIfNull(digits);
        if (digits.Length is < 13 or > 19 || !digits.All(char.IsAsciiDigit) || digits.All(c => c == '0'))
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = digits[digits.Length - 1 - i] - '0';
            if (i % 2 == 1)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
        }

        return sum % 10 == 0;
    }

    /// <summary>True when <paramref name="country"/> + <paramref name="digits"/> (check digits first) passes the IBAN mod-97 check.</summary>
    public static bool IsIban(string country, string digits)
    {
        ArgumentNullException.ThrowIfNull(country);
        ArgumentNullException.ThrowIfNull(digits);
        if (country.Length != 2 || digits.Length < 4 || !digits.All(char.IsAsciiDigit))
        {
            return false;
        }

        // Move the country and check digits to the end, letters as 10-35, and take the remainder piecewise.
        var rearranged = digits[2..] + (char.ToUpperInvariant(country[0]) - 'A' + 10) + (char.ToUpperInvariant(country[1]) - 'A' + 10) + digits[..2];
        var remainder = 0;
        foreach (var c in rearranged)
        {
            remainder = ((remainder * 10) + (c - '0')) % 97;
        }

        return remainder == 1;
    }
}
