using Dwarfsmith.TestSupport;
using Xunit;

namespace Dwarfsmith.Aot.Tests;

/// <summary>
/// <c>aot -g</c> steps as the native build does: from the first hit of every <c>/* BREAK: */</c>
/// label of every corpus program, gdb runs step six times, finish, then next six times, and every stop
/// (its line, backtrace, arguments, locals, statics, globals, and the value finish returned) is
/// compared with the native build's by the rules of <see cref="GdbDifferential"/>. Loop headers,
/// returns into the middle of a caller's statement and calls through function pointers are among the
/// places these sequences cross.
/// </summary>
public sealed class DebugInfoGdbSteppingTests
{
    /// <summary>The commands run from each label's first hit (<see cref="DebugInfoLldbSteppingTests"/> runs the same).</summary>
    internal static readonly string[] Steps =
        ["step", "step", "step", "step", "step", "step", "finish", "next", "next", "next", "next", "next", "next"];

    public static TheoryData<string, int> Programs => GdbDifferential.ProgramsOnceEach();

    [SkippableTheory]
    [MemberData(nameof(Programs))]
    public void Step_finish_and_next_from_every_label_stop_where_they_stop_natively(string name, int dwarfVersion) =>
        GdbDifferential.AssertSameStops(name, dwarfVersion, Steps);
}
