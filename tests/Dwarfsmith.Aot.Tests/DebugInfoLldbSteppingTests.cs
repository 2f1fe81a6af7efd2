using Dwarfsmith.TestSupport;
using Xunit;

namespace Dwarfsmith.Aot.Tests;

/// <summary>
/// <c>aot -g</c> steps under lldb-22 as the native build does: from the first hit of every
/// <c>/* BREAK: */</c> label of every corpus program, lldb runs step six times, finish, then next
/// six times (<see cref="DebugInfoGdbSteppingTests"/>'s sequence), and every stop (its line,
/// backtrace, arguments, locals, statics, globals, the <c>p</c> outputs of the frame's pointers and
/// the value finish returned) is compared with the native build's, the AOT side through Dwarfsmith's
/// lldb extension, by the rules of <see cref="LldbDifferential"/> and Debugger/lldb_stops.py.
/// </summary>
public sealed class DebugInfoLldbSteppingTests
{
    public static TheoryData<string, int> Programs => GdbDifferential.ProgramsOnceEach();

    [SkippableTheory]
    [MemberData(nameof(Programs))]
    public void Step_finish_and_next_from_every_label_stop_where_they_stop_natively(string name, int dwarfVersion) =>
        LldbDifferential.AssertSameStops(name, dwarfVersion, DebugInfoGdbSteppingTests.Steps);
}
