using System.Text.RegularExpressions;
using Dwarfsmith.TestSupport;
using Xunit;

namespace Dwarfsmith.Dwarf.Transform.Tests;

/// <summary>.debug_pubnames and .debug_pubtypes (clang -gpubnames, DWARF 4) name the same entries after a rewrite.</summary>
public partial class NameTableTests
{
    [GeneratedRegex(@"^0x([0-9a-f]{8}) ""([^""]*)""", RegexOptions.Multiline)]
    private static partial Regex NameLine();

    [GeneratedRegex(@"^0x([0-9a-f]{8}):\s+(DW_TAG_\w+)", RegexOptions.Multiline)]
    private static partial Regex EntryLine();

    [Theory]
    [InlineData("structs", OptLevel.O0)]
    [InlineData("inline", OptLevel.O2)]
    public void Public_names_and_types_name_the_same_entries_after_a_rewrite(string program, OptLevel opt)
    {
        var options = CompileOptions.Wasm(opt, 4) with { Flags = ["-gpubnames"] };
        var input = Corpus.Get(program).Build(options).Path;
        Assert.Contains(".debug_pubnames contents:", Rewriting.Dump(input, "--debug-pubnames"), StringComparison.Ordinal);
        var output = Rewriting.Rewrite(input, DwarfVisitor.Identity, $"pubnames-{program}-{opt}");
        Rewriting.AssertNoNewVerifyErrors(input, output);
        Assert.Equal(NamedEntries(input, "--debug-pubnames"), NamedEntries(output, "--debug-pubnames"));
        Assert.Equal(NamedEntries(input, "--debug-pubtypes"), NamedEntries(output, "--debug-pubtypes"));
    }

    /// <summary>Each name of the table with the tag and ordinal of the entry its offset names in .debug_info.</summary>
    private static List<string> NamedEntries(string path, string table)
    {
        string info = Rewriting.Dump(path, "--debug-info");
        var entries = EntryLine().Matches(info).Select((m, i) => (Offset: Convert.ToInt64(m.Groups[1].Value, 16), Tag: m.Groups[2].Value, Ordinal: i))
            .ToDictionary(e => e.Offset);
        var names = new List<string>();
        long unitOffset = 0;
        foreach (string line in Rewriting.Dump(path, table).Split('\n'))
        {
            var header = Regex.Match(line, @"unit_offset = 0x([0-9a-f]+)");
            if (header.Success)
            {
                unitOffset = Convert.ToInt64(header.Groups[1].Value, 16);
                continue;
            }

            var name = NameLine().Match(line);
            if (!name.Success)
                continue;
            long target = unitOffset + Convert.ToInt64(name.Groups[1].Value, 16);
            names.Add(entries.TryGetValue(target, out var entry) ? $"{name.Groups[2].Value}: {entry.Tag} #{entry.Ordinal}" : $"{name.Groups[2].Value}: no entry at 0x{target:x}");
        }

        Assert.NotEmpty(names);
        return names;
    }
}
