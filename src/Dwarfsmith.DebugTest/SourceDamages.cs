using System.Text.RegularExpressions;

namespace Dwarfsmith.DebugTest;

/// <summary>
/// Deliberate damage to one side, for the self-check that the comparison catches and classifies real defects.
/// Both are made in the source, so the compiler writes the damaged debug information itself.
/// </summary>
public enum SourceDamage
{
    None,

    /// <summary>Every line from <c>main</c>'s definition on is one line later in the line table (a <c>#line</c> directive).</summary>
    Lines,

    /// <summary>
    /// Two locals of one function, declared with the same type, swap names everywhere. The program is the same
    /// (Csmith's <c>l_N</c> names are unique in the program, so this is a consistent renaming), but each
    /// name now describes the other variable's location, as a swapped <c>DW_AT_location</c> would.
    /// </summary>
    SwapLocals,
}

public static partial class SourceDamages
{
    public static string Name(SourceDamage damage) => damage switch
    {
        SourceDamage.Lines => "lines",
        SourceDamage.SwapLocals => "swap-locals",
        _ => "none",
    };

    public static SourceDamage Parse(string text) => text switch
    {
        "lines" => SourceDamage.Lines,
        "swap-locals" => SourceDamage.SwapLocals,
        "none" => SourceDamage.None,
        _ => throw new ArgumentException($"unknown damage {text} (lines, swap-locals)", nameof(text)),
    };

    /// <summary>Writes the damaged copy as <c>DIR/damaged-KIND/NAME.c</c> (the same file name as the original).</summary>
    public static string Write(TestProgram program, SourceDamage damage, string workDirectory)
    {
        var lines = File.ReadAllLines(program.SourcePath).ToList();
        switch (damage)
        {
            case SourceDamage.Lines:
                var entry = program.EntryLine();
                lines.Insert(entry - 1, $"#line {entry + 1}");
                break;
            case SourceDamage.SwapLocals:
                lines = SwapLocals(lines, out _, out _);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(damage));
        }
        var directory = Directory.CreateDirectory(Path.Combine(workDirectory, "damaged-" + Name(damage))).FullName;
        var path = Path.Combine(directory, program.SourceFileName);
        File.WriteAllLines(path, lines);
        return path;
    }

    /// <summary>The source with two same-typed locals of one function renamed into each other.</summary>
    public static List<string> SwapLocals(List<string> lines, out string first, out string second)
    {
        // Within each function body (a line "{" after a definition up to the closing "}" at column 0), the
        // first two scalar locals declared with the same type and an initializer: "    int32_t l_5 = 1L;".
        var declared = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            if (line.StartsWith('}'))
            {
                declared.Clear();
                continue;
            }
            var match = LocalDeclaration().Match(line);
            if (!match.Success)
                continue;
            var type = match.Groups["type"].Value;
            var name = match.Groups["name"].Value;
            if (declared.TryGetValue(type, out var other) && other != name)
            {
                (first, second) = (other, name);
                var a = first;
                var b = second;
                return [.. lines.Select(l => Regex.Replace(l, $@"\b({a}|{b})\b", m => m.Value == a ? b : a))];
            }
            declared[type] = name;
        }
        throw new DebugTestException("no function declares two locals of one type: nothing to swap");
    }

    [GeneratedRegex(@"^\s+(?<type>(?:const\s+)?(?:u?int(?:8|16|32|64)_t|int|char|short|long))\s+(?<name>l_\d+)\s*=")]
    private static partial Regex LocalDeclaration();
}
