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

    /// <summary>Host builds beyond the standard matrix: DWARF 2 and 3, 64-bit DWARF, ELF32, type units (C++ mode).</summary>
    public static TheoryData<string, CompileTarget, int, bool, string> ExtraVariants => new()
    {
        { "structs", CompileTarget.HostGcc, 2, false, "-O0" },
        { "floats", CompileTarget.HostGcc, 2, false, "-O2" },
        { "recursion", CompileTarget.HostGcc, 3, false, "-O2" },
        { "switches", CompileTarget.HostGcc, 3, false, "-O0" },
        { "structs", CompileTarget.HostGcc, 5, false, "-O2 -gdwarf64" },
        { "inline", CompileTarget.HostGcc, 4, false, "-O2 -gdwarf64" },
        { "structs", CompileTarget.HostClang, 5, false, "-O2 -gdwarf64" },
        { "loops", CompileTarget.HostClang, 4, false, "-O1 -gdwarf64" },
        { "structs", CompileTarget.HostGcc, 5, true, "-O2" },
        { "floats", CompileTarget.HostGcc, 4, true, "-O0" },
        { "recursion", CompileTarget.HostClang, 5, true, "-O2" },
        { "arrays", CompileTarget.HostClang, 4, true, "-O0" },
        { "structs", CompileTarget.HostClang, 4, false, "-O0 -x c++ -fdebug-types-section" },
        { "switches", CompileTarget.HostClang, 5, false, "-O2 -x c++ -fdebug-types-section" },
    };

    [Theory]
    [MemberData(nameof(ExtraVariants))]
    public void Other_encodings_match_llvm_dwarfdump(string program, CompileTarget compiler, int dwarfVersion, bool host32, string flags)
    {
        var parts = flags.Split(' ');
        var opt = Enum.Parse<OptLevel>(parts[0][1..]);
        var options = CompileOptions.Host(opt, dwarfVersion, compiler) with { Host32 = host32, Flags = parts[1..] };
        var path = CCompiler.Compile(Corpus.Get(program).SourcePath, options).Path;
        var stats = Check(path);
        Assert.True(stats.Entries > 0 && stats.LineRows > 0, stats.ToString());
    }

    private ComparisonStats Check(string path)
    {
        var context = new DwarfContext(DwarfInputs.Load(path));
        var stats = new ComparisonStats();
        var info = LlvmDump.Run(path, "--debug-info", "--show-form");
        InfoComparer.Compare(context, info, stats);
        if (context.Sections.Contains(DwarfSections.Types))
            InfoComparer.Compare(context, LlvmDump.Run(path, "--debug-types", "--show-form"), stats, typesSection: true);
        var line = LlvmDump.Run(path, "--debug-line");
        LineComparer.Compare(context, line, stats);
        output.WriteLine(stats.ToString());
        Assert.True(stats.Mismatches.Count == 0, $"{path}:\n{string.Join('\n', stats.Mismatches)}\n{stats}");
        return stats;
    }
}
