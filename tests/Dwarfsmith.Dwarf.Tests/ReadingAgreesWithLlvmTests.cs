using Dwarfsmith.Dwarf.Reading;
using Dwarfsmith.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace Dwarfsmith.Dwarf.Tests;

/// <summary>
/// Every unit, entry, attribute (name, form, value), expression, list and line row the reader yields
/// matches llvm-dwarfdump-22's dump, on wasm, clang and gcc builds of the corpus and on SQLite.
/// </summary>
public class ReadingAgreesWithLlvmTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> Variants => DwarfInputs.Variants();

    [Theory]
    [MemberData(nameof(Variants))]
    public void Corpus_debug_info_and_lines_match_llvm_dwarfdump(string program, Producer producer, OptLevel opt, int dwarfVersion)
    {
        var path = DwarfInputs.Build(program, producer, opt, dwarfVersion);
        var stats = Check(path);
        Assert.True(stats.Entries > 0, "no entries read");
        Assert.True(stats.LineRows > 0, "no line rows read");
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public void Sqlite_debug_info_and_lines_match_llvm_dwarfdump(int dwarfVersion)
    {
        var path = Corpus.Sqlite(OptLevel.O1, dwarfVersion).Path;
        var stats = Check(path);
        Assert.True(stats.Entries > 50_000, stats.ToString());
    }

    private ComparisonStats Check(string path)
    {
        var context = new DwarfContext(DwarfInputs.Load(path));
        var stats = new ComparisonStats();
        var info = LlvmDump.Run(path, "--debug-info", "--show-form");
        InfoComparer.Compare(context, info, stats);
        var line = LlvmDump.Run(path, "--debug-line");
        LineComparer.Compare(context, line, stats);
        output.WriteLine(stats.ToString());
        Assert.True(stats.Mismatches.Count == 0, $"{path}:\n{string.Join('\n', stats.Mismatches)}\n{stats}");
        return stats;
    }
}
