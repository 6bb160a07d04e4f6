using QualityScan.Models.IO;
using System.Text;

namespace QualityScan.Pipeline.Tests.IO;

/// <summary>The id -> file name mapping as a property over arbitrary strings: one-to-one, bounded, safe.</summary>
public sealed class IdFileNameTests
{
    private const int Seed = 20261130;

    [Test]
    public void For_ArbitraryIds_NamesAreDistinctBoundedAndSafe()
    {
        var random = new Random(Seed);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in HostileIds())
        {
            ids.Add(id);
        }

        while (ids.Count < 20_000)
        {
            ids.Add(RandomId(random));
        }

        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            var name = IdFileName.For(id);
            Assert.That(owners.TryAdd(name, id), Is.True, $"'{Show(id)}' and '{Show(owners.GetValueOrDefault(name) ?? "")}' both map to {name}");
            AssertSafe(id, name);
        }
    }

    [Test]
    public void For_LongId_StableCutNameWithHash()
    {
        var name = IdFileName.For(new string('x', 500) + "/y");

        Assert.That(name, Does.Match("^x{103}~[0-9a-f]{16}$"), "readable start, then a hash of the whole id; the same id always gives the same name");
    }

    [Test]
    public void For_HostileIds_FilesCanBeCreatedInsideTheFolderWithTheTemporaryName()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"qs-idnames-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            foreach (var id in HostileIds())
            {
                var path = Path.Combine(folder, IdFileName.For(id) + ".json");
                AtomicFile.Write(path, s => s.WriteByte(42));
                Assert.That(Path.GetDirectoryName(Path.GetFullPath(path)), Is.EqualTo(folder), Show(id));
            }

            Assert.That(Directory.GetFiles(folder), Has.Length.EqualTo(HostileIds().Distinct().Count()));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Ids that broke the old mapping or that a file system treats specially.</summary>
    public static IEnumerable<string> HostileIds() =>
    [
        "x/y", "x_y", "x\\y", ".", "..", "_", "", " ", "a ", " a", ".hidden", "a.", "a..b", "CON", "con.txt", "nul", "LPT1",
        "line\nbreak", "tab\there", "\u001b[31mred\u001b[0m", "\0", "a%2Fb", "a/b", "a~b", "%", "%u0041", "A",
        "\ud800", "\udc00x", "\ud83d\ude00", "Przemysław", "Jan Veselý", "ž", "z\u030c",
        new string('a', 300), new string('a', 299) + "b", new string('ł', 200), new string('/', 200), new string('.', 300),
        new string('a', 118), new string('a', 119), new string('a', 120), new string('a', 121),
    ];

    private static void AssertSafe(string id, string name)
    {
        var why = $"name of '{Show(id)}'";
        Assert.That(name, Is.Not.Empty, why);
        Assert.That(Encoding.UTF8.GetByteCount(name), Is.LessThanOrEqualTo(IdFileName.MaxLength), why);
        Assert.That(name.StartsWith('.'), Is.False, why + ": no hidden files");
        Assert.That(name.EndsWith('.') || name.EndsWith(' '), Is.False, why);
        Assert.That(name.IndexOfAny(['/', '\\', ':', '*', '?', '"', '<', '>', '|']), Is.EqualTo(-1), why);
        Assert.That(name.Any(c => char.IsControl(c) || char.IsSurrogate(c) || char.IsWhiteSpace(c)), Is.False, why);
        Assert.That(Encoding.UTF8.GetByteCount($".{name}.json.4194304.{Guid.Empty:N}.tmp"), Is.LessThan(255), why + ": the temporary file name fits too");
    }

    private static string RandomId(Random random)
    {
        var length = random.Next(10) switch
        {
            0 => random.Next(100, 400),
            1 => random.Next(110, 130),
            _ => random.Next(0, 12),
        };
        var alphabet = random.Next(3);
        var sb = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            sb.Append(alphabet switch
            {
                0 => "ab./_\\%~ .-"[random.Next(11)],
                1 => (char)random.Next(0, 0x80),
                _ => (char)random.Next(0, 0x10000),
            });
        }

        return sb.ToString();
    }

    private static string Show(string id) => string.Concat(id.Take(60).Select(c => c < 0x20 || char.IsSurrogate(c) ? $"\\u{(int)c:X4}" : c.ToString()));
}
