namespace Dwarfsmith.Wasm.CustomSections;

/// <summary>
/// The <c>name</c> custom section with the extended-name-section subsections. Subsections this
/// model does not know are kept as bytes and written back unchanged.
/// </summary>
public sealed class NameSection
{
    public const string SectionName = "name";

    public string? ModuleName { get; set; }

    public SortedDictionary<uint, string> FunctionNames { get; } = [];

    /// <summary>Local names by function index, then local index.</summary>
    public SortedDictionary<uint, SortedDictionary<uint, string>> LocalNames { get; } = [];

    public SortedDictionary<uint, SortedDictionary<uint, string>> LabelNames { get; } = [];

    public SortedDictionary<uint, string> TypeNames { get; } = [];

    public SortedDictionary<uint, string> TableNames { get; } = [];

    public SortedDictionary<uint, string> MemoryNames { get; } = [];

    public SortedDictionary<uint, string> GlobalNames { get; } = [];

    public SortedDictionary<uint, string> ElementSegmentNames { get; } = [];

    public SortedDictionary<uint, string> DataSegmentNames { get; } = [];

    public SortedDictionary<uint, string> TagNames { get; } = [];

    /// <summary>Subsections of unknown kind, by id, as raw payloads.</summary>
    public List<(byte Id, byte[] Payload)> UnknownSubsections { get; } = [];

    private enum Kind : byte
    {
        Module = 0,
        Function = 1,
        Local = 2,
        Label = 3,
        Type = 4,
        Table = 5,
        Memory = 6,
        Global = 7,
        ElementSegment = 8,
        DataSegment = 9,
        Tag = 11,
    }

    public static NameSection Parse(Section section)
    {
        var reader = section.ContentReader();
        var names = new NameSection();
        while (!reader.AtEnd)
        {
            var id = reader.ReadByte();
            var size = reader.ReadVarUInt32();
            if (size > (uint)reader.Remaining)
                throw reader.Error($"name subsection {id} size {size} exceeds the section");
            var sub = reader.Slice((int)size, reader.Section);
            switch ((Kind)id)
            {
                case Kind.Module: names.ModuleName = sub.ReadName(); break;
                case Kind.Function: ReadNameMap(ref sub, names.FunctionNames); break;
                case Kind.Local: ReadIndirectNameMap(ref sub, names.LocalNames); break;
                case Kind.Label: ReadIndirectNameMap(ref sub, names.LabelNames); break;
                case Kind.Type: ReadNameMap(ref sub, names.TypeNames); break;
                case Kind.Table: ReadNameMap(ref sub, names.TableNames); break;
                case Kind.Memory: ReadNameMap(ref sub, names.MemoryNames); break;
                case Kind.Global: ReadNameMap(ref sub, names.GlobalNames); break;
                case Kind.ElementSegment: ReadNameMap(ref sub, names.ElementSegmentNames); break;
                case Kind.DataSegment: ReadNameMap(ref sub, names.DataSegmentNames); break;
                case Kind.Tag: ReadNameMap(ref sub, names.TagNames); break;
                default:
                    names.UnknownSubsections.Add((id, sub.ReadBytes(sub.Remaining).ToArray()));
                    break;
            }
            if (!sub.AtEnd)
                throw sub.Error($"name subsection {id} size mismatch");
        }
        return names;
    }

    private static void ReadNameMap(ref WasmReader reader, SortedDictionary<uint, string> map)
    {
        var count = reader.ReadCount(2);
        for (var i = 0; i < count; i++)
        {
            var index = reader.ReadVarUInt32();
            map[index] = reader.ReadName();
        }
    }

    private static void ReadIndirectNameMap(ref WasmReader reader, SortedDictionary<uint, SortedDictionary<uint, string>> map)
    {
        var count = reader.ReadCount(2);
        for (var i = 0; i < count; i++)
        {
            var index = reader.ReadVarUInt32();
            var inner = new SortedDictionary<uint, string>();
            ReadNameMap(ref reader, inner);
            map[index] = inner;
        }
    }

    /// <summary>Encodes the section content (without the section name), subsections in id order.</summary>
    public byte[] Encode()
    {
        var output = new WasmWriter();
        var sub = new WasmWriter();
        void Emit(Kind kind)
        {
            output.WriteByte((byte)kind);
            output.WriteSized(sub.WrittenSpan);
            sub.Clear();
        }
        if (ModuleName is not null)
        {
            sub.WriteName(ModuleName);
            Emit(Kind.Module);
        }
        EmitMap(Kind.Function, FunctionNames);
        EmitIndirect(Kind.Local, LocalNames);
        EmitIndirect(Kind.Label, LabelNames);
        EmitMap(Kind.Type, TypeNames);
        EmitMap(Kind.Table, TableNames);
        EmitMap(Kind.Memory, MemoryNames);
        EmitMap(Kind.Global, GlobalNames);
        EmitMap(Kind.ElementSegment, ElementSegmentNames);
        EmitMap(Kind.DataSegment, DataSegmentNames);
        EmitMap(Kind.Tag, TagNames);
        foreach (var (id, payload) in UnknownSubsections)
        {
            output.WriteByte(id);
            output.WriteSized(payload);
        }
        return output.ToArray();

        void EmitMap(Kind kind, SortedDictionary<uint, string> map)
        {
            if (map.Count == 0)
                return;
            WriteNameMap(sub, map);
            Emit(kind);
        }

        void EmitIndirect(Kind kind, SortedDictionary<uint, SortedDictionary<uint, string>> map)
        {
            if (map.Count == 0)
                return;
            sub.WriteVarUInt32((uint)map.Count);
            foreach (var (index, inner) in map)
            {
                sub.WriteVarUInt32(index);
                WriteNameMap(sub, inner);
            }
            Emit(kind);
        }
    }

    private static void WriteNameMap(WasmWriter writer, SortedDictionary<uint, string> map)
    {
        writer.WriteVarUInt32((uint)map.Count);
        foreach (var (index, name) in map)
        {
            writer.WriteVarUInt32(index);
            writer.WriteName(name);
        }
    }
}
