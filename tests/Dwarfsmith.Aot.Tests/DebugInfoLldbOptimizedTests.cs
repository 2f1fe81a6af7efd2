using System.Text.Json.Nodes;
using Dwarfsmith.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace Dwarfsmith.Aot.Tests;

/// <summary>
/// <c>aot -g</c> with the generated C compiled at -O2 (the CLI's default), under lldb-22 with
/// Dwarfsmith's extension, against lldb-22 on the native build of the same C program at -O0: the
/// rules of <see cref="DebugInfoGdbOptimizedTests"/> (the oracle is -O0 because the module stays
/// -O0 wasm; labels without code of their own set in neither build; a value equal to native's or
/// optimized out, never another value; a caller's line may differ where calls were merged), under
/// lldb's own (<see cref="LldbDifferential"/>). The <c>p</c> outputs of a pointer the AOT build shows
/// optimized out are not compared (lldb prints an error for it there, the value natively); every
/// other one must be equal. Where lldb would take a local for a static (a location holding a
/// <c>DW_OP_addr</c>, docs/ARCHITECTURE.md), the local would be missing from the frame's variables and
/// the stop would differ.
/// </summary>
public sealed partial class DebugInfoLldbOptimizedTests(ITestOutputHelper output)
{
    private const string OptimizedOut = "<optimized out>";

    public static TheoryData<string, int> Programs => GdbDifferential.ProgramsOnceEach();

    [SkippableTheory]
    [MemberData(nameof(Programs))]
    public void At_every_break_label_lldb_shows_native_values_or_optimized_out(string name, int dwarfVersion)
    {
        var (expected, actual, removed, source, moved) = LldbDifferential.RunBoth(name, dwarfVersion, aotOptimization: 2, steps: []);
        int labels = Corpus.Get(name).Breakpoints.Count;
        Assert.True(moved.Count * 3 <= labels, $"{moved.Count} of {labels} labels have no code of their own: {string.Join(", ", moved)}");
        Assert.NotEmpty(expected);
        int shown = 0, optimizedOut = 0, callerLines = 0, printsCompared = 0;
        for (int i = 0; i < Math.Max(expected.Count, actual.Count); i++)
        {
            Assert.True(i < actual.Count, $"stop {i}: lldb stopped natively at\n{expected[i]}\nbut not in the AOT build");
            Assert.True(i < expected.Count, $"stop {i}: lldb stopped in the AOT build at\n{actual[i]}\nbut not natively");
            var (nativeStop, aotStop) = StopComparison.Comparable(expected[i], actual[i], removed, source);
            callerLines += OptimizedComparison.AcceptCallerLines(nativeStop["frames"]!.AsArray(), aotStop["frames"]!.AsArray());
            LeaveOutPrintsOfOptimizedOut(nativeStop, aotStop);
            printsCompared += (aotStop["prints"] as JsonObject)?.Count ?? 0;
            foreach (var scope in new[] { "variables", "globals" })
            {
                if (nativeStop[scope] is JsonObject nativeValues && aotStop[scope] is JsonObject aotValues)
                    OptimizedComparison.AcceptOptimizedOut(nativeValues, aotValues, ref shown, ref optimizedOut);
            }

            string nativeText = StopComparison.Normalized(nativeStop), aotText = StopComparison.Normalized(aotStop);
            Assert.True(nativeText == aotText, $"stop {i}:\nnative -O0: {nativeText}\naot -O2 -g: {aotText}");
        }

        output.WriteLine($"{name} DWARF {dwarfVersion}: {expected.Count} stops at {labels - moved.Count} of {labels} labels, {shown} values shown, "
            + $"{optimizedOut} optimized out, {printsCompared} p outputs compared, {callerLines} caller lines differ"
            + (moved.Count > 0 ? $"; breakpoints put on another line: {string.Join(", ", moved)}" : ""));
    }

    /// <summary>The <c>p</c> outputs (p NAME, p *NAME, p NAME-&gt;MEMBER) of the variables the AOT stop shows optimized out, from both stops.</summary>
    private static void LeaveOutPrintsOfOptimizedOut(JsonObject native, JsonObject aot)
    {
        if (aot["variables"] is not JsonObject variables)
            return;
        var gone = variables.Where(v => v.Value is JsonValue value && value.TryGetValue(out string? text) && text == OptimizedOut)
            .Select(v => v.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var stop in new[] { native, aot })
        {
            if (stop["prints"] is not JsonObject prints)
                continue;
            foreach (var command in prints.Select(p => p.Key).ToList())
            {
                if (gone.Contains(PrintedVariable().Match(command).Groups[1].Value))
                    prints.Remove(command);
            }
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^p \*?([A-Za-z_]\w*)")]
    private static partial System.Text.RegularExpressions.Regex PrintedVariable();
}
