namespace Dwarfsmith.Wasm.CoreDumps;

/// <summary>
/// Reads a core dump. The encoding, which Dwarfsmith's C writer (the AOT runtime) and this reader
/// both follow, is tool-conventions Coredump.md as wasm-tools reads and writes it:
/// <code>
/// dump          = magic version(1) section*                   a wasm module; sections in any order
/// core          = custom "core":          0x00 executable-name:name
/// coremodules   = custom "coremodules":   vec(0x00 module-name:name)             optional
/// coreinstances = custom "coreinstances": vec(0x00 moduleidx:u32 memories:vec(u32) globals:vec(u32))  optional
/// corestack     = custom "corestack":     0x00 thread-name:name vec(frame)       one per thread
/// frame         = 0x00 instanceidx:u32 funcidx:u32 codeoffset:u32 locals:vec(value) stack:vec(value)
/// value         = 0x01 (missing) | 0x7F i32:SLEB128 | 0x7E i64:SLEB128 | 0x7D f32:4 bytes LE | 0x7C f64:8 bytes LE
/// memory        = the standard memory section: the limits at the time of the dump (minimum = current pages)
/// data          = the standard data section: active segments (flags 0, or 2 with a memory index),
///                 offset "i32.const N end" (i64.const for memory64); zero runs may be left out,
///                 and a byte no segment covers is zero
/// globals       = the standard global section: immutable globals initialized by one
///                 i32/i64/f32/f64.const (ref.null for references), in the instance's global index
///                 order, imported globals included
/// </code>
/// Frames are youngest first. <c>funcidx</c> counts imported functions. <c>codeoffset</c> is relative
/// to the function's start, the first byte of its body after the body-size LEB (as Wasmtime and
/// wasmparser mean it), so its DWARF address is the body's code-section offset plus it. The youngest
/// frame's is the trapping instruction's; every other frame's is its call instruction's (not the
/// instruction after it), so a reader looks its line up at the offset as it is. Locals are
/// the function's parameters then its declared locals; the operand stack is listed bottom first,
/// so <c>DW_OP_WASM_location 2 N</c> names <c>stack[N]</c>. Producers that know nothing of locals
/// (Wasmtime) write empty vectors, and may leave <c>coremodules</c>/<c>coreinstances</c> out.
/// Every malformed byte is a <see cref="WasmFormatException"/> with the section and file offset.
/// </summary>
public static class CoreDumpReader
{
    public const string CoreSection = "core";
    public const string ModulesSection = "coremodules";
    public const string InstancesSection = "coreinstances";
    public const string StackSection = "corestack";

    public static CoreDump Read(ReadOnlyMemory<byte> bytes)
    {
        var module = WasmModule.Read(bytes);
        string? executable = null;
        List<string> modules = [];
        List<CoreInstance> instances = [];
        var threads = new List<CoreThread>();
        var stackReaders = new List<Section>();
        foreach (var section in module.Sections)
        {
            if (!section.IsCustom)
                continue;
            switch (section.Name)
            {
                case CoreSection:
                    if (executable is not null)
                        throw new WasmFormatException("a second 'core' section", section.DisplayName, section.Offset);
                    executable = ReadCore(section);
                    break;
                case ModulesSection:
                    modules = ReadModules(section);
                    break;
                case InstancesSection:
                    instances = ReadInstances(section);
                    break;
                case StackSection:
                    stackReaders.Add(section);
                    break;
                default:
                    break;
            }
        }

        if (executable is null)
            throw new WasmFormatException("not a core dump: there is no 'core' section", "module", 8);
        CheckModuleIndices(module, instances, modules);
        foreach (var section in stackReaders)
            threads.Add(ReadStack(section, instances.Count));
        return new CoreDump
        {
            ExecutableName = executable,
            Modules = modules,
            Instances = instances,
            Threads = threads,
            Memories = ReadMemories(module),
            Globals = ReadGlobals(module),
        };
    }

    private static string ReadCore(Section section)
    {
        var r = section.ContentReader();
        ExpectZero(ref r, "core");
        var name = r.ReadName();
        ExpectEnd(ref r);
        return name;
    }

    private static List<string> ReadModules(Section section)
    {
        var r = section.ContentReader();
        var count = r.ReadCount(2);
        var names = new List<string>(count);
        for (int i = 0; i < count; i++)
        {
            ExpectZero(ref r, "module");
            names.Add(r.ReadName());
        }

        ExpectEnd(ref r);
        return names;
    }

    private static List<CoreInstance> ReadInstances(Section section)
    {
        var r = section.ContentReader();
        var count = r.ReadCount(4);
        var instances = new List<CoreInstance>(count);
        for (int i = 0; i < count; i++)
        {
            ExpectZero(ref r, "instance");
            var moduleIndex = r.ReadVarUInt32();
            instances.Add(new CoreInstance(moduleIndex, ReadIndices(ref r), ReadIndices(ref r)));
        }

        ExpectEnd(ref r);
        return instances;
    }

    private static uint[] ReadIndices(ref WasmReader r)
    {
        var indices = new uint[r.ReadCount()];
        for (int i = 0; i < indices.Length; i++)
            indices[i] = r.ReadVarUInt32();
        return indices;
    }

    /// <summary>An instance's module index must name a module of <c>coremodules</c> when the dump has that section.</summary>
    private static void CheckModuleIndices(WasmModule dump, List<CoreInstance> instances, List<string> modules)
    {
        if (dump.FindCustomSection(ModulesSection) is null)
            return;
        for (int i = 0; i < instances.Count; i++)
        {
            if (instances[i].ModuleIndex >= (uint)modules.Count)
            {
                var section = dump.FindCustomSection(InstancesSection)!;
                throw new WasmFormatException($"instance {i} names module {instances[i].ModuleIndex}, but there are {modules.Count} modules", section.DisplayName, section.ContentOffset);
            }
        }
    }

    private static CoreThread ReadStack(Section section, int instanceCount)
    {
        var r = section.ContentReader();
        ExpectZero(ref r, "thread");
        var name = r.ReadName();
        var count = r.ReadCount(6);
        var frames = new List<CoreFrame>(count);
        for (int i = 0; i < count; i++)
        {
            ExpectZero(ref r, "frame");
            var at = r.Position;
            var instance = r.ReadVarUInt32();
            if (instanceCount > 0 && instance >= (uint)instanceCount)
                throw r.ErrorAt(at, $"frame {i} names instance {instance}, but there are {instanceCount} instances");
            var function = r.ReadVarUInt32();
            var offset = r.ReadVarUInt32();
            var locals = ReadValues(ref r);
            var stack = ReadValues(ref r);
            frames.Add(new CoreFrame(instance, function, offset, locals, stack));
        }

        ExpectEnd(ref r);
        return new CoreThread(name, frames);
    }

    private static CoreValue[] ReadValues(ref WasmReader r)
    {
        var values = new CoreValue[r.ReadCount()];
        for (int i = 0; i < values.Length; i++)
            values[i] = ReadValue(ref r);
        return values;
    }

    /// <summary>One tagged value; integers are signed LEB128 (the convention's, and wasm-tools').</summary>
    public static CoreValue ReadValue(ref WasmReader r)
    {
        var at = r.Position;
        return r.ReadByte() switch
        {
            0x01 => CoreValue.Missing,
            0x7F => CoreValue.I32(r.ReadVarInt32()),
            0x7E => CoreValue.I64(r.ReadVarInt64()),
            0x7D => CoreValue.F32Bits(r.ReadFixedUInt32()),
            0x7C => CoreValue.F64Bits(r.ReadFixedUInt64()),
            var tag => throw r.ErrorAt(at, $"unknown value tag 0x{tag:X2}"),
        };
    }

    private static List<CoreMemory> ReadMemories(WasmModule module)
    {
        var segments = new List<CoreMemorySegment>[module.Memories.Count];
        for (int i = 0; i < segments.Length; i++)
            segments[i] = [];
        var dataSection = module.FindSection(SectionId.Data);
        foreach (var segment in module.Data)
        {
            var where = segment.Offset?.FileOffset ?? segment.DataOffset;
            if (segment.Mode != SegmentMode.Active)
                throw new WasmFormatException("a core dump's data segments are active", "data section", where);
            if (segment.MemoryIndex >= (uint)segments.Length)
                throw new WasmFormatException($"data segment for memory {segment.MemoryIndex}, but the dump has {segments.Length} memories", "data section", where);
            var address = ReadOffset(segment.Offset!);
            var memory = module.Memories[(int)segment.MemoryIndex];
            var size = new CoreMemory(memory.Limits, []).Size;
            if (address > size || (ulong)segment.Data.Length > size - address)
                throw new WasmFormatException($"data segment at 0x{address:X} ({segment.Data.Length} bytes) reaches past the memory's {memory.Limits.Minimum} pages", dataSection?.DisplayName ?? "data section", where);
            segments[segment.MemoryIndex].Add(new CoreMemorySegment(address, segment.Data));
        }

        var memories = new List<CoreMemory>(segments.Length);
        for (int i = 0; i < segments.Length; i++)
            memories.Add(new CoreMemory(module.Memories[i].Limits, segments[i]));
        return memories;
    }

    private static ulong ReadOffset(ConstantExpression offset)
    {
        var r = new WasmReader(offset.Bytes.Span, offset.FileOffset, "data section");
        ulong address = r.ReadByte() switch
        {
            0x41 => (uint)r.ReadVarInt32(),
            0x42 => (ulong)r.ReadVarInt64(),
            var op => throw r.ErrorAt(0, $"a core dump's data offsets are i32.const or i64.const, not opcode 0x{op:X2}"),
        };
        if (r.ReadByte() != 0x0B || !r.AtEnd)
            throw r.ErrorAt(0, "a core dump's data offset is one constant");
        return address;
    }

    private static List<CoreGlobal> ReadGlobals(WasmModule module)
    {
        var globals = new List<CoreGlobal>(module.Globals.Count);
        foreach (var global in module.Globals)
        {
            var init = global.Init;
            var r = new WasmReader(init.Bytes.Span, init.FileOffset, "global section");
            var type = global.Type.ValueType;
            var op = r.ReadByte();
            CoreValue value = (op, type) switch
            {
                (0x41, ValueType.I32) => CoreValue.I32(r.ReadVarInt32()),
                (0x42, ValueType.I64) => CoreValue.I64(r.ReadVarInt64()),
                (0x43, ValueType.F32) => CoreValue.F32Bits(r.ReadFixedUInt32()),
                (0x44, ValueType.F64) => CoreValue.F64Bits(r.ReadFixedUInt64()),
                (0xD0, _) when type.IsReference() => SkipHeapType(ref r),
                _ => throw r.ErrorAt(0, $"a core dump's {type.Name()} global is initialized by one constant of its type, not opcode 0x{op:X2}"),
            };
            if (r.ReadByte() != 0x0B || !r.AtEnd)
                throw r.ErrorAt(0, "a core dump's global is initialized by one constant");
            globals.Add(new CoreGlobal(type, value));
        }

        return globals;
    }

    /// <summary>ref.null's heap type; a reference's value is not something a dump can hold.</summary>
    private static CoreValue SkipHeapType(ref WasmReader r)
    {
        r.ReadVarInt33();
        return CoreValue.Missing;
    }

    private static void ExpectZero(ref WasmReader r, string what)
    {
        var at = r.Position;
        var b = r.ReadByte();
        if (b != 0)
            throw r.ErrorAt(at, $"unknown {what} kind 0x{b:X2} (expected 0x00)");
    }

    private static void ExpectEnd(ref WasmReader r)
    {
        if (!r.AtEnd)
            throw r.Error($"{r.Remaining} bytes of junk after the section's content");
    }
}
