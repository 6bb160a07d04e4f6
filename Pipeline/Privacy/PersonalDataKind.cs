namespace QualityScan.Pipeline.Privacy;

/// <summary>The kinds of a customer's personal data the masker recognises; each mask names its kind, never the value.</summary>
public enum PersonalDataKind
{
    /// <summary>A Polish PESEL (11 digits, valid check digit).</summary>
    Pesel,

    /// <summary>A Czech or Slovak birth number, rodné číslo (<c>YYMMDD/XXXX</c>, divisible by 11, a real date).</summary>
    BirthNumber,

    /// <summary>A payment card number (13-19 digits, valid Luhn check digit).</summary>
    Card,

    /// <summary>A bank account: an IBAN (PL, CZ), a Polish NRB of 26 digits, or a Czech <c>[prefix-]number/bank</c>.</summary>
    Account,

    /// <summary>A Polish or Czech phone number (9 digits, with or without +48 / +420).</summary>
    Phone,

    /// <summary>An e-mail address, written (<c>jan@firma.pl</c>) or spoken ("jan małpa firma kropka pl").</summary>
    Email,

    /// <summary>Any other run of six or more digits, written or read out as words: an id the customer gave.</summary>
    Number,
}
