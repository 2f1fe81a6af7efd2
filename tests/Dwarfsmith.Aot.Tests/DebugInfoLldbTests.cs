using Dwarfsmith.TestSupport;
using Xunit;

namespace Dwarfsmith.Aot.Tests;

/// <summary>
/// <c>aot -g</c> against the native build of the same C program (clang-22 -g), both under lldb-22:
/// at every <c>/* BREAK: */</c> label, the same backtrace (functions, files and lines, ending at main),
/// the same arguments, locals and statics with equal values (pointers by null-ness, and what they
/// point to), the same globals of the program's file, and the same output of <c>p NAME</c>,
/// <c>p *NAME</c> and <c>p NAME-&gt;MEMBER</c> for the frame's pointers (addresses blanked). The AOT
/// side runs with Dwarfsmith's lldb extension loaded, as <c>dwarfsmith lldb</c> runs it: lldb-22 reads
/// every pointer as 8 bytes, so the program's 4-byte pointers need it (docs/ARCHITECTURE.md, "lldb").
/// The platforms' differences are set aside by <see cref="DebugInfoGdbTests"/>'s rules, and for the
/// <c>p</c> outputs by three more, stated where they are applied: the C library's types (FILE) are not
/// printed (lldb_stops.py), a function the C library called is not (what qsort passes its comparator
/// depends on the library), and members reached through a pointer to const are compared unqualified
/// (<see cref="StopComparison"/>); lldb's own differences by <see cref="LldbDifferential"/>.
/// </summary>
public sealed class DebugInfoLldbTests
{
    public static TheoryData<string, int> Programs => GdbDifferential.ProgramsOnceEach();

    [SkippableTheory]
    [MemberData(nameof(Programs))]
    public void At_every_break_label_lldb_shows_what_it_shows_natively(string name, int dwarfVersion) =>
        LldbDifferential.AssertSameStops(name, dwarfVersion, steps: []);
}
