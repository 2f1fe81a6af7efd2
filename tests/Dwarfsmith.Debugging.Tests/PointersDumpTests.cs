using Dwarfsmith.Debugging.CoreDumps;
using Dwarfsmith.TestSupport;
using Dwarfsmith.Wasm;
using Dwarfsmith.Wasm.CoreDumps;
using Xunit;

namespace Dwarfsmith.Debugging.Tests;

/// <summary>
/// A dump with a frame in <c>push</c> of corpus/pointers.c built by clang-22 at -O0: the frame
/// pointer (wasm local 2, the function's DW_AT_frame_base) points at memory the test wrote, so the
/// reader must find <c>n</c>, <c>head</c> and <c>value</c> there and follow <c>n</c> to its node.
/// </summary>
public class PointersDumpTests
{
    private const uint FramePointer = 60000;
    private const uint Node = 0x1FF00; // near the end of the two pages, above the data

    internal static (WasmModule Module, CoreDump Dump) PushDump(bool withLocals = true)
    {
        var program = Corpus.Get("pointers");
        var module = WasmModule.ReadFile(program.BuildWasm(OptLevel.O0).Path);
        var dump = new SyntheticDump(module);
        var (low, high) = SyntheticDump.FunctionRange(module, "push");
        var pc = SyntheticDump.AddressOfLine(module, program.BreakLine("push"), low, high);
        dump.WriteInt32(FramePointer + 4, (int)Node); // n
        dump.WriteInt32(FramePointer + 8, 36); // value
        dump.WriteInt32(FramePointer + 12, 0); // head
        dump.WriteInt32(Node, 36); // n->value
        dump.WriteInt32(Node + 4, 0x1234); // n->next: garbage, not yet written at the break
        dump.AddFrame(pc, new Dictionary<int, CoreValue> { [0] = CoreValue.I32(0), [1] = CoreValue.I32(36), [2] = CoreValue.I32((int)FramePointer) }, withLocals);
        return (module, dump.Build("pointers.wasm"));
    }

    [Fact]
    public void Frame_in_push_shows_its_line_and_variables_from_memory()
    {
        var (module, dump) = PushDump();
        var report = new CoreDumpSession(dump, module).Report();
        var frame = report.Frames[0];
        Assert.Equal("push", frame.Function);
        Assert.False(frame.Inlined);
        Assert.Equal((ulong)Corpus.Get("pointers").BreakLine("push"), frame.Line);
        Assert.EndsWith("pointers.c", frame.File);
        var variables = frame.Variables.ToDictionary(v => v.Name);
        Assert.Equal(("0x0", VariableKind.Parameter, "struct node *"), (variables["head"].Value, variables["head"].Kind, variables["head"].Type));
        Assert.Equal(("36", VariableKind.Parameter, "int32_t"), (variables["value"].Value, variables["value"].Kind, variables["value"].Type));
        Assert.Equal(("0x1ff00", VariableKind.Local), (variables["n"].Value, variables["n"].Kind));
        Assert.Equal(["head", "value", "n"], frame.Variables.Select(v => v.Name));
    }

    [Fact]
    public void Print_follows_pointers_into_the_dump()
    {
        var (module, dump) = PushDump();
        var session = new CoreDumpSession(dump, module);
        Assert.Equal("36", session.Print("n->value"));
        Assert.Equal("{value = 36, next = 0x1234}", session.Print("*n"));
        Assert.Equal("(struct node *) 0x1234", session.Print("(*n).next"));
        Assert.Equal("(struct node *) 0x1ff00", session.Print("n"));
        Assert.Equal("(struct node **) 0xea64", session.Print("&n"));
        Assert.Equal("36", session.Print("n[0].value"));
        Assert.Equal("36", session.Print("*&value"));
    }

    [Fact]
    public void Frame_without_locals_shows_why_each_variable_is_unavailable()
    {
        var (module, dump) = PushDump(withLocals: false);
        var frame = new CoreDumpSession(dump, module).Report().Frames[0];
        Assert.Equal("push", frame.Function);
        Assert.All(frame.Variables, v =>
        {
            Assert.Null(v.Value);
            Assert.Equal("frame base unknown: local 2 is missing in the dump (the dump records no locals for this frame)", v.Unavailable);
        });
    }
}
