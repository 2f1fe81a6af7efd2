using System.Text.Json.Nodes;
using Dwarfsmith.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace Dwarfsmith.Aot.Tests;

/// <summary>
/// <c>aot -g</c> with the generated C compiled at -O2 (the CLI's default), under gdb, against the
/// native build of the same C program at -O0 (clang-22 -O0 -g). The oracle is the -O0 build because
/// the module stays clang -O0 wasm: its DWARF describes every variable as -O0 has it, and only the
/// translation of the wasm code to native code is optimized. At every <c>/* BREAK: */</c> label:
/// <list type="bullet">
/// <item>gdb stops at the same labels the same number of times. A label whose line the C compiler
/// left no code of its own (merged into another line's code, as a native -O2 build does too) gets
/// its breakpoint on a later line from gdb, where the program is elsewhere: such labels are set in
/// neither build, and reported (at most a third of a program's labels);</item>
/// <item>the backtrace is the same: the same functions and files of the program's frames (the
/// translated functions are kept out of line in debug builds, so each wasm function is a frame),
/// the stop's own line; a caller's line, where its call returns to, may differ only when the C
/// compiler merged the calls of two lines into one call (its DWARF line is then 0, which gdb 13
/// skips, showing the line before): such frames are counted in the output;</item>
/// <item>the same arguments, locals, statics and globals, with the same types; each value equal to
/// the native one, or <c>&lt;optimized out&gt;</c> in the AOT build (at any depth of a struct or
/// array), never another value and never an error;</item>
/// <item>the platform rules of <see cref="DebugInfoGdbTests"/> (libc frames, va_list, data the linker
/// removed, locals not yet declared) apply as there.</item>
/// </list>
/// The values shown and those optimized out are counted in the test's output.
/// </summary>
public sealed class DebugInfoGdbOptimizedTests(ITestOutputHelper output)
{
    public static TheoryData<string, int> Programs => GdbDifferential.ProgramsOnceEach();

    [SkippableTheory]
    [MemberData(nameof(Programs))]
    public void At_every_break_label_gdb_shows_native_values_or_optimized_out(string name, int dwarfVersion)
    {
        HostCapabilities.Ptrace.SkipUnlessAvailable();
        var (expected, actual, removed, source, moved) = GdbDifferential.RunBoth(name, dwarfVersion, aotOptimization: 2, steps: []);
        int labels = Corpus.Get(name).Breakpoints.Count;
        if (moved.Count > 0)
            output.WriteLine($"{name} DWARF {dwarfVersion}: breakpoints gdb put on another line: {string.Join(", ", moved)}");
        Assert.True(moved.Count * 3 <= labels, $"{moved.Count} of {labels} labels have no code of their own: {string.Join(", ", moved)}");
        Assert.NotEmpty(expected);
        int shown = 0, optimizedOut = 0, callerLines = 0;
        for (int i = 0; i < Math.Max(expected.Count, actual.Count); i++)
        {
            Assert.True(i < actual.Count, $"stop {i}: gdb stopped natively at\n{expected[i]}\nbut not in the AOT build");
            Assert.True(i < expected.Count, $"stop {i}: gdb stopped in the AOT build at\n{actual[i]}\nbut not natively");
            var (nativeStop, aotStop) = StopComparison.Comparable(expected[i], actual[i], removed, source);
            callerLines += OptimizedComparison.AcceptCallerLines(nativeStop["frames"]!.AsArray(), aotStop["frames"]!.AsArray());
            foreach (var scope in new[] { "variables", "globals" })
            {
                if (nativeStop[scope] is JsonObject nativeValues && aotStop[scope] is JsonObject aotValues)
                    OptimizedComparison.AcceptOptimizedOut(nativeValues, aotValues, ref shown, ref optimizedOut);
            }

            string nativeText = StopComparison.Normalized(nativeStop), aotText = StopComparison.Normalized(aotStop);
            Assert.True(nativeText == aotText, $"stop {i}:\nnative -O0: {nativeText}\naot -O2 -g: {aotText}");
        }

        output.WriteLine($"{name} DWARF {dwarfVersion}: {expected.Count} stops at {labels - moved.Count} of {labels} labels, {shown} values shown, {optimizedOut} optimized out, {callerLines} caller lines differ");
    }
}
