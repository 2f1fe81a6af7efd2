namespace Dwarfsmith.Wasm.Writing;

/// <summary>
/// Encodes the typed model of each standard section into a section payload, with minimal LEBs.
/// Constant expressions and function bodies are copied as encoded.
/// </summary>
public static class SectionEncoder
{
    public static byte[] Types(IReadOnlyList<FunctionType> types) => Vector(types, static (w, t) =>
    {
        w.WriteByte(0x60);
        WriteValueTypes(w, t.Parameters);
        WriteValueTypes(w, t.Results);
    });

    public static byte[] Imports(IReadOnlyList<Import> imports) => Vector(imports, static (w, i) =>
    {
        w.WriteName(i.Module);
        w.WriteName(i.Name);
        w.WriteByte((byte)i.Kind);
        switch (i.Kind)
        {
            case ExternalKind.Function: w.WriteVarUInt32(i.TypeIndex); break;
            case ExternalKind.Table: WriteTableType(w, i.Table); break;
            case ExternalKind.Memory: WriteLimits(w, i.Memory.Limits); break;
            case ExternalKind.Global: WriteGlobalType(w, i.Global); break;
            case ExternalKind.Tag: WriteTagType(w, i.Tag); break;
        }
    });

    public static byte[] Functions(IReadOnlyList<uint> typeIndices) => Vector(typeIndices, static (w, t) => w.WriteVarUInt32(t));

    public static byte[] Tables(IReadOnlyList<TableType> tables) => Vector(tables, WriteTableType);

    public static byte[] Memories(IReadOnlyList<MemoryType> memories) => Vector(memories, static (w, m) => WriteLimits(w, m.Limits));

    public static byte[] Tags(IReadOnlyList<TagType> tags) => Vector(tags, WriteTagType);

    public static byte[] Globals(IReadOnlyList<Global> globals) => Vector(globals, static (w, g) =>
    {
        WriteGlobalType(w, g.Type);
        w.WriteBytes(g.Init.Bytes.Span);
    });

    public static byte[] Exports(IReadOnlyList<Export> exports) => Vector(exports, static (w, e) =>
    {
        w.WriteName(e.Name);
        w.WriteByte((byte)e.Kind);
        w.WriteVarUInt32(e.Index);
    });

    public static byte[] Start(uint functionIndex) => Single(w => w.WriteVarUInt32(functionIndex));

    public static byte[] DataCount(uint count) => Single(w => w.WriteVarUInt32(count));

    public static byte[] Elements(IReadOnlyList<ElementSegment> segments) => Vector(segments, static (w, s) =>
    {
        w.WriteVarUInt32(s.Flags);
        if ((s.Flags & 3) == 2)
            w.WriteVarUInt32(s.TableIndex);
        if (s.Mode == SegmentMode.Active)
            w.WriteBytes(s.Offset!.Bytes.Span);
        if ((s.Flags & 3) != 0)
            w.WriteByte(s.UsesExpressions ? (byte)s.ElementType : (byte)0);
        if (s.UsesExpressions)
        {
            w.WriteVarUInt32((uint)s.Expressions!.Length);
            foreach (var expression in s.Expressions)
                w.WriteBytes(expression.Bytes.Span);
        }
        else
        {
            w.WriteVarUInt32((uint)s.FunctionIndices!.Length);
            foreach (var index in s.FunctionIndices)
                w.WriteVarUInt32(index);
        }
    });

    public static byte[] Data(IReadOnlyList<DataSegment> segments) => Vector(segments, static (w, s) =>
    {
        w.WriteVarUInt32(s.Flags);
        if (s.Flags == 2)
            w.WriteVarUInt32(s.MemoryIndex);
        if (s.Mode == SegmentMode.Active)
            w.WriteBytes(s.Offset!.Bytes.Span);
        w.WriteSized(s.Data.Span);
    });

    /// <summary>A code section from function bodies (locals and instructions, without size).</summary>
    public static byte[] Code(IReadOnlyList<ReadOnlyMemory<byte>> bodies) => Vector(bodies, static (w, b) => w.WriteSized(b.Span));

    /// <summary>Re-encodes every standard section of a module from its typed model, in the module's order.</summary>
    public static ModuleBuilder ReencodeStandardSections(WasmModule module)
    {
        var builder = new ModuleBuilder(module);
        for (var i = 0; i < builder.Sections.Count; i++)
        {
            var entry = builder.Sections[i];
            if (entry.IsCustom)
                continue;
            builder.RemoveAt(i);
            builder.Insert(i, SectionEntry.Standard(entry.Id, Encode(module, entry.Id)));
        }
        return builder;
    }

    public static byte[] Encode(WasmModule module, SectionId id) => id switch
    {
        SectionId.Type => Types(module.Types),
        SectionId.Import => Imports(module.Imports),
        SectionId.Function => Functions(module.FunctionTypeIndices),
        SectionId.Table => Tables(module.Tables),
        SectionId.Memory => Memories(module.Memories),
        SectionId.Tag => Tags(module.Tags),
        SectionId.Global => Globals(module.Globals),
        SectionId.Export => Exports(module.Exports),
        SectionId.Start => Start(module.StartFunction!.Value),
        SectionId.Element => Elements(module.Elements),
        SectionId.DataCount => DataCount(module.DataCount!.Value),
        SectionId.Code => Code(module.Bodies.Select(b => b.Bytes).ToArray()),
        SectionId.Data => Data(module.Data),
        _ => throw new ArgumentOutOfRangeException(nameof(id), id, "not a standard section"),
    };

    private static byte[] Vector<T>(IReadOnlyList<T> items, Action<WasmWriter, T> writeItem)
    {
        var writer = new WasmWriter();
        writer.WriteVarUInt32((uint)items.Count);
        foreach (var item in items)
            writeItem(writer, item);
        return writer.ToArray();
    }

    private static byte[] Single(Action<WasmWriter> write)
    {
        var writer = new WasmWriter(8);
        write(writer);
        return writer.ToArray();
    }

    private static void WriteValueTypes(WasmWriter writer, ValueType[] types)
    {
        writer.WriteVarUInt32((uint)types.Length);
        foreach (var type in types)
            writer.WriteByte((byte)type);
    }

    private static void WriteTableType(WasmWriter writer, TableType table)
    {
        writer.WriteByte((byte)table.ElementType);
        WriteLimits(writer, table.Limits);
    }

    private static void WriteLimits(WasmWriter writer, Limits limits)
    {
        writer.WriteVarUInt32(limits.Flags);
        writer.WriteVarUInt64(limits.Minimum);
        if (limits.Maximum is { } maximum)
            writer.WriteVarUInt64(maximum);
    }

    private static void WriteGlobalType(WasmWriter writer, GlobalType global)
    {
        writer.WriteByte((byte)global.ValueType);
        writer.WriteByte(global.Mutable ? (byte)1 : (byte)0);
    }

    private static void WriteTagType(WasmWriter writer, TagType tag)
    {
        writer.WriteByte(tag.Attribute);
        writer.WriteVarUInt32(tag.TypeIndex);
    }
}
