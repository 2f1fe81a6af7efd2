using System.Text.Json;
using System.Text.Json.Nodes;
using Dwarfsmith.TestSupport;
using Dwarfsmith.Wasm;
using Xunit;

namespace Dwarfsmith.Aot.Tests;

/// <summary>
/// <c>aot -g</c> against the native build of the same C program (clang-22 -g), both under gdb: at
/// every <c>/* BREAK: */</c> label, the same backtrace, arguments, locals, statics and globals, by
/// the rules of <see cref="GdbDifferential"/>.
/// </summary>
public sealed class DebugInfoGdbTests
{
    public static TheoryData<string, int> Programs => GdbDifferential.ProgramsAndDwarfVersions();

    [SkippableTheory]
    [MemberData(nameof(Programs))]
    public void At_every_break_label_gdb_shows_what_it_shows_natively(string name, int dwarfVersion) =>
        GdbDifferential.AssertSameStops(name, dwarfVersion, steps: []);
}
