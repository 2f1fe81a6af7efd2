using Dwarfsmith.Wasm.Writing;

namespace Dwarfsmith.Wasm.CoreDumps;

/// <summary>
/// Writes a <see cref="CoreDump"/> in the encoding <see cref="CoreDumpReader"/> documents, in the
/// section order wasm-tools writes: core, coremodules, coreinstances, memory, global, data, then one
/// corestack per thread. Integers are minimal signed LEB128; floats keep their bits.
/// </summary>
public static class CoreDumpWriter
{
    public static byte[] Write(CoreDump dump)
    {
        ArgumentNullException.ThrowIfNull(dump);
        var builder = new ModuleBuilder();
        builder.Add(SectionEntry.Custom(CoreDumpReader.CoreSection, Encode(w =>
        {
            w.WriteByte(0);
            w.WriteName(dump.ExecutableName);
        })));
        if (dump.Modules.Count > 0)
        {
            builder.Add(SectionEntry.Custom(CoreDumpReader.ModulesSection, Encode(w =>
            {
                w.WriteVarUInt32((uint)dump.Modules.Count);
                foreach (var name in dump.Modules)
                {
                    w.WriteByte(0);
                    w.WriteName(name);
                }
            })));
        }

        if (dump.Instances.Count > 0)
            builder.Add(SectionEntry.Custom(CoreDumpReader.InstancesSection, Encode(w => WriteInstances(w, dump.Instances))));
        if (dump.Memories.Count > 0)
            builder.Add(SectionEntry.Standard(SectionId.Memory, SectionEncoder.Memories([.. dump.Memories.Select(m => new MemoryType(m.Limits))])));
        if (dump.Globals.Count > 0)
            builder.Add(SectionEntry.Standard(SectionId.Global, Encode(w => WriteGlobals(w, dump.Globals))));
        if (dump.Memories.Any(m => m.Segments.Count > 0))
            builder.Add(SectionEntry.Standard(SectionId.Data, Encode(w => WriteData(w, dump.Memories))));
        foreach (var thread in dump.Threads)
            builder.Add(SectionEntry.Custom(CoreDumpReader.StackSection, Encode(w => WriteStack(w, thread))));
        return builder.ToArray();
    }

    /// <summary>One tagged value, as <see cref="CoreDumpReader.ReadValue"/> reads it.</summary>
    public static void WriteValue(WasmWriter w, CoreValue value)
    {
        ArgumentNullException.ThrowIfNull(w);
        w.WriteByte((byte)value.Kind);
        switch (value.Kind)
        {
            case CoreValueKind.I32: w.WriteVarInt32(value.AsInt32); break;
            case CoreValueKind.I64: w.WriteVarInt64(value.AsInt64); break;
            case CoreValueKind.F32: w.WriteFixedUInt32((uint)value.Bits); break;
            case CoreValueKind.F64: w.WriteFixedUInt64(value.Bits); break;
            case CoreValueKind.Missing: break;
            default: throw new ArgumentException($"unknown value kind {value.Kind}", nameof(value));
        }
    }

    private static void WriteInstances(WasmWriter w, IReadOnlyList<CoreInstance> instances)
    {
        w.WriteVarUInt32((uint)instances.Count);
        foreach (var instance in instances)
        {
            w.WriteByte(0);
            w.WriteVarUInt32(instance.ModuleIndex);
            WriteIndices(w, instance.Memories);
            WriteIndices(w, instance.Globals);
        }
    }

    private static void WriteIndices(WasmWriter w, IReadOnlyList<uint> indices) => WriteVector(w, indices, static (w, i) => w.WriteVarUInt32(i));

    private static void WriteVector<T>(WasmWriter w, IReadOnlyList<T> items, Action<WasmWriter, T> write)
    {
        w.WriteVarUInt32((uint)items.Count);
        foreach (var item in items)
            write(w, item);
    }

    private static void WriteGlobals(WasmWriter w, IReadOnlyList<CoreGlobal> globals)
    {
        w.WriteVarUInt32((uint)globals.Count);
        foreach (var global in globals)
        {
            w.WriteByte((byte)global.Type);
            w.WriteByte(0); // immutable
            if (global.Type.IsReference())
            {
                // A reference's value is not dumpable; ref.null of the global's own type.
                w.WriteByte(0xD0);
                w.WriteByte((byte)global.Type);
            }
            else
            {
                if (global.Value.Kind != (CoreValueKind)global.Type)
                    throw new ArgumentException($"a {global.Type.Name()} global holds {global.Value}", nameof(globals));
                // The const opcode of each numeric type is 0x41..0x44 in the order i32, i64, f32, f64.
                w.WriteByte((byte)(0x41 + (ValueType.I32 - global.Type)));
                var encoded = new WasmWriter(16);
                WriteValue(encoded, global.Value);
                w.WriteBytes(encoded.WrittenSpan[1..]);
            }

            w.WriteByte(0x0B);
        }
    }

    private static void WriteData(WasmWriter w, IReadOnlyList<CoreMemory> memories)
    {
        w.WriteVarUInt32((uint)memories.Sum(m => m.Segments.Count));
        for (int memory = 0; memory < memories.Count; memory++)
        {
            foreach (var segment in memories[memory].Segments)
            {
                if (memory == 0)
                {
                    w.WriteByte(0);
                }
                else
                {
                    w.WriteByte(2);
                    w.WriteVarUInt32((uint)memory);
                }

                if (memories[memory].Limits.Is64)
                {
                    w.WriteByte(0x42);
                    w.WriteVarInt64((long)segment.Address);
                }
                else
                {
                    w.WriteByte(0x41);
                    w.WriteVarInt32((int)(uint)segment.Address);
                }

                w.WriteByte(0x0B);
                w.WriteSized(segment.Bytes.Span);
            }
        }
    }

    private static void WriteStack(WasmWriter w, CoreThread thread)
    {
        w.WriteByte(0);
        w.WriteName(thread.Name);
        w.WriteVarUInt32((uint)thread.Frames.Count);
        foreach (var frame in thread.Frames)
        {
            w.WriteByte(0);
            w.WriteVarUInt32(frame.InstanceIndex);
            w.WriteVarUInt32(frame.FunctionIndex);
            w.WriteVarUInt32(frame.CodeOffset);
            WriteValues(w, frame.Locals);
            WriteValues(w, frame.Stack);
        }
    }

    private static void WriteValues(WasmWriter w, IReadOnlyList<CoreValue> values) => WriteVector(w, values, WriteValue);

    private static byte[] Encode(Action<WasmWriter> write)
    {
        var w = new WasmWriter();
        write(w);
        return w.ToArray();
    }
}
