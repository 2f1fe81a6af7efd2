using Dwarfsmith.TestSupport;
using Dwarfsmith.Wasm.CoreDumps;
using Xunit;

namespace Dwarfsmith.Wasm.Tests.CoreDumps;

/// <summary>
/// The core-dump reader against bytes encoded by hand from the convention, the writer against
/// those same bytes, and wabt's reader against what the writer writes.
/// </summary>
public class CoreDumpFormatTests
{
    // A corestack with one frame whose locals are the LEB edge cases of the convention:
    // signed LEB128 for integers, raw little-endian bits for floats.
    private static readonly byte[] EdgeValueStack =
    [
        0x00, 0x04, (byte)'m', (byte)'a', (byte)'i', (byte)'n', // thread "main"
        0x01, // one frame
        0x00, 0x00, 0x05, 0xA3, 0x01, // instance 0, function 5, code offset 163
        0x0A, // ten locals
        0x7F, 0x7F, // i32 -1
        0x7F, 0x80, 0x80, 0x80, 0x80, 0x78, // i32 min
        0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, // i32 max
        0x7F, 0xC0, 0x00, // i32 64 (needs a second byte: bit 6 would read as the sign)
        0x7E, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F, // i64 min
        0x7E, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, // i64 max
        0x7D, 0x01, 0x00, 0xC0, 0x7F, // f32 quiet NaN with payload 1
        0x7C, 0x23, 0x01, 0x00, 0x00, 0x00, 0x00, 0xF8, 0xFF, // f64 negative NaN with payload 0x123
        0x7D, 0x00, 0x00, 0x00, 0x80, // f32 -0
        0x01, // missing
        0x02, // two stack values
        0x7F, 0x00, // i32 0
        0x7E, 0x41, // i64 -63
    ];

    private static readonly CoreValue[] EdgeLocals =
    [
        CoreValue.I32(-1), CoreValue.I32(int.MinValue), CoreValue.I32(int.MaxValue), CoreValue.I32(64),
        CoreValue.I64(long.MinValue), CoreValue.I64(long.MaxValue),
        CoreValue.F32Bits(0x7FC00001), CoreValue.F64Bits(0xFFF8000000000123), CoreValue.F32Bits(0x80000000),
        CoreValue.Missing,
    ];

    private static byte[] HandBuiltDump()
    {
        var w = new WasmWriter();
        w.WriteFixedUInt32(WasmModule.Magic);
        w.WriteFixedUInt32(1);
        Custom(w, "core", [0x00, 0x08, .. "app.wasm"u8]);
        Custom(w, "coremodules", [0x01, 0x00, 0x08, .. "app.wasm"u8]);
        Custom(w, "coreinstances", [0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00]);
        Custom(w, "corestack", EdgeValueStack);
        return w.ToArray();

        static void Custom(WasmWriter w, string name, byte[] content)
        {
            var section = new WasmWriter();
            section.WriteName(name);
            section.WriteBytes(content);
            w.WriteByte(0);
            w.WriteSized(section.WrittenSpan);
        }
    }

    [Fact]
    public void Hand_built_dump_with_edge_values_reads_back_exactly()
    {
        var dump = CoreDumpReader.Read(HandBuiltDump());
        Assert.Equal("app.wasm", dump.ExecutableName);
        Assert.Equal(["app.wasm"], dump.Modules);
        var instance = Assert.Single(dump.Instances);
        Assert.Equal("0 [0] [0]", Describe(instance));
        var thread = Assert.Single(dump.Threads);
        Assert.Equal("main", thread.Name);
        var frame = Assert.Single(thread.Frames);
        Assert.Equal((0u, 5u, 163u), (frame.InstanceIndex, frame.FunctionIndex, frame.CodeOffset));
        Assert.Equal(EdgeLocals, frame.Locals);
        Assert.Equal([CoreValue.I32(0), CoreValue.I64(-63)], frame.Stack);
        Assert.True(float.IsNaN(BitConverter.Int32BitsToSingle(frame.Locals[6].AsInt32)));
    }

    [Fact]
    public void Writer_reproduces_the_hand_built_bytes()
    {
        var bytes = HandBuiltDump();
        Assert.Equal(bytes, CoreDumpWriter.Write(CoreDumpReader.Read(bytes)));
    }

    private static CoreDump FullDump()
    {
        var image = new byte[70000];
        "hello, dump"u8.CopyTo(image.AsSpan(1024));
        image[65535] = 0x5A;
        image[69999] = 0xA5;
        return new CoreDump
        {
            ExecutableName = "prog.wasm",
            Modules = ["prog.wasm", "lib.wasm"],
            Instances = [new CoreInstance(0, [0], [0, 1, 2, 3]), new CoreInstance(1, [], [4])],
            Threads =
            [
                new CoreThread("main", [new CoreFrame(0, 12, 40, EdgeLocals, []), new CoreFrame(0, 3, 0, [], [CoreValue.I32(7)])]),
                new CoreThread("worker", [new CoreFrame(1, 0, 1, [CoreValue.F64(1.5)], [])]),
            ],
            Memories = [CoreMemory.FromImage(image, pages: 2, maximumPages: 16)],
            Globals =
            [
                new CoreGlobal(ValueType.I32, CoreValue.I32(65536)),
                new CoreGlobal(ValueType.I64, CoreValue.I64(long.MinValue)),
                new CoreGlobal(ValueType.F32, CoreValue.F32Bits(0xFFC00000)),
                new CoreGlobal(ValueType.F64, CoreValue.F64(-0.0)),
                new CoreGlobal(ValueType.FuncRef, CoreValue.Missing),
            ],
        };
    }

    [Fact]
    public void Written_dump_reads_back_equal()
    {
        var original = FullDump();
        var read = CoreDumpReader.Read(CoreDumpWriter.Write(original));
        Assert.Equal(original.ExecutableName, read.ExecutableName);
        Assert.Equal(original.Modules, read.Modules);
        Assert.Equal(original.Instances.Select(Describe), read.Instances.Select(Describe));
        Assert.Equal(original.Threads.Count, read.Threads.Count);
        for (int t = 0; t < original.Threads.Count; t++)
        {
            Assert.Equal(original.Threads[t].Name, read.Threads[t].Name);
            Assert.Equal(original.Threads[t].Frames.Select(Describe), read.Threads[t].Frames.Select(Describe));
        }

        Assert.Equal(original.Globals, read.Globals);
        var memory = Assert.Single(read.Memories);
        Assert.Equal(new Limits(2, 16), memory.Limits);
        Assert.Equal(3, memory.Segments.Count);
        var all = new byte[70000];
        Assert.True(memory.TryRead(0, all));
        var expected = new byte[70000];
        Assert.True(original.Memories[0].TryRead(0, expected));
        Assert.Equal(expected, all);
        Assert.Equal((byte)0xA5, all[69999]);
    }

    private static string Describe(CoreInstance i) => $"{i.ModuleIndex} [{string.Join(",", i.Memories)}] [{string.Join(",", i.Globals)}]";

    private static string Describe(CoreFrame f) => $"{f.InstanceIndex}/{f.FunctionIndex}+{f.CodeOffset} [{string.Join(",", f.Locals)}] [{string.Join(",", f.Stack)}]";

    [Fact]
    public void Memory_reads_absent_bytes_as_zero_and_refuses_past_the_end()
    {
        var memory = new CoreMemory(new Limits(1, null), [new(16, new byte[] { 1, 2, 3, 4 }), new(18, new byte[] { 9 })]);
        var buffer = new byte[8];
        Assert.True(memory.TryRead(14, buffer));
        Assert.Equal(new byte[] { 0, 0, 1, 2, 9, 4, 0, 0 }, buffer);
        Assert.True(memory.TryRead(65536 - 8, buffer));
        Assert.False(memory.TryRead(65536 - 7, buffer));
        Assert.False(memory.TryRead(ulong.MaxValue - 2, buffer));
    }

    [Fact]
    public void Image_leaves_out_zero_runs_only()
    {
        var image = new byte[100];
        image[0] = 1;
        image[5] = 2; // a short zero run stays inside the segment
        image[60] = 3;
        var memory = CoreMemory.FromImage(image, 1);
        Assert.Equal([(0UL, 6), (60UL, 1)], memory.Segments.Select(s => (s.Address, s.Bytes.Length)));
    }

    [Theory]
    [InlineData(13, "unknown value tag 0x7A")]
    [InlineData(7, "unknown frame kind 0x01 (expected 0x00)")]
    public void Damaged_stack_names_the_section_and_offset(int index, string reason)
    {
        var bytes = HandBuiltDump();
        var stackStart = bytes.AsSpan().IndexOf(EdgeValueStack);
        bytes[stackStart + index] = index == 13 ? (byte)0x7A : (byte)0x01;
        var error = Assert.Throws<WasmFormatException>(() => CoreDumpReader.Read(bytes));
        Assert.Equal(reason, error.Reason);
        Assert.Equal("custom section 'corestack'", error.Section);
        Assert.Equal(stackStart + index, error.Offset);
    }

    [Fact]
    public void Module_without_core_section_is_not_a_dump()
    {
        var error = Assert.Throws<WasmFormatException>(() => CoreDumpReader.Read(new byte[] { 0, 0x61, 0x73, 0x6D, 1, 0, 0, 0 }));
        Assert.Contains("no 'core' section", error.Message);
    }

    [Fact]
    public void Wabt_reads_every_written_dump()
    {
        var directory = Directory.CreateDirectory(Path.Combine(RepoPaths.Cache, "tmp", "coredump-format")).FullName;
        var dumps = new[] { ("full", CoreDumpWriter.Write(FullDump())), ("hand", HandBuiltDump()) };
        foreach (var (name, bytes) in dumps)
        {
            var path = Path.Combine(directory, name + ".core");
            File.WriteAllBytes(path, bytes);
            var objdump = ProcessRunner.Run(Toolchain.WasmObjdump, ["-x", path]).EnsureSuccess();
            Assert.Contains("\"corestack\"", objdump.StandardOutput);
            Assert.Contains("\"core\"", objdump.StandardOutput);
            ProcessRunner.Run(Toolchain.WasmValidate, [path]).EnsureSuccess();
        }

        var full = ProcessRunner.Run(Toolchain.WasmObjdump, ["-x", Path.Combine(directory, "full.core")]).StandardOutput;
        Assert.Contains("memory[0] pages: initial=2 max=16", full);
        Assert.Contains("i64 mutable=0 - init i64=-9223372036854775808", full);
        Assert.Contains("segment[2] memory=0 size=1 - init i32=69999", full);
    }
}
