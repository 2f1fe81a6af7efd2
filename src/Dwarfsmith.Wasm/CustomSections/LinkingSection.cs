namespace Dwarfsmith.Wasm.CustomSections;

public enum SymbolKind : byte
{
    Function = 0,
    Data = 1,
    Global = 2,
    Section = 3,
    Tag = 4,
    Table = 5,
}

/// <summary>One symbol-table entry of an object file's <c>linking</c> section.</summary>
public sealed record LinkingSymbol(SymbolKind Kind, uint Flags, string? Name, uint Index, uint DataOffset = 0, uint DataSize = 0)
{
    public const uint Undefined = 0x10;
    public const uint ExplicitName = 0x40;

    public bool IsUndefined => (Flags & Undefined) != 0;
}

public sealed record SegmentInfo(string Name, uint AlignmentLog2, uint Flags);

/// <summary>
/// The <c>linking</c> section of a relocatable object (tool-conventions Linking.md, version 2):
/// the symbol table and segment info are decoded; init functions and comdats are kept as raw
/// subsections.
/// </summary>
public sealed class LinkingSection
{
    public const string SectionName = "linking";
    private const byte SegmentInfoId = 5;
    private const byte SymbolTableId = 8;

    public uint Version { get; private init; }

    public List<LinkingSymbol> Symbols { get; } = [];

    public List<SegmentInfo> Segments { get; } = [];

    /// <summary>Subsections other than the symbol table and segment info, by id, as raw payloads.</summary>
    public List<(byte Id, byte[] Payload)> OtherSubsections { get; } = [];

    public static LinkingSection Parse(Section section)
    {
        var reader = section.ContentReader();
        var linking = new LinkingSection { Version = reader.ReadVarUInt32() };
        if (linking.Version != 2)
            throw reader.ErrorAt(0, $"unsupported linking metadata version {linking.Version}");
        while (!reader.AtEnd)
        {
            var id = reader.ReadByte();
            var size = reader.ReadVarUInt32();
            if (size > (uint)reader.Remaining)
                throw reader.Error($"linking subsection {id} size {size} exceeds the section");
            var sub = reader.Slice((int)size, reader.Section);
            switch (id)
            {
                case SymbolTableId:
                    ReadSymbols(ref sub, linking.Symbols);
                    break;
                case SegmentInfoId:
                    var count = sub.ReadCount(3);
                    for (var i = 0; i < count; i++)
                        linking.Segments.Add(new SegmentInfo(sub.ReadName(), sub.ReadVarUInt32(), sub.ReadVarUInt32()));
                    break;
                default:
                    linking.OtherSubsections.Add((id, sub.ReadBytes(sub.Remaining).ToArray()));
                    break;
            }
            if (!sub.AtEnd)
                throw sub.Error($"linking subsection {id} size mismatch");
        }
        return linking;
    }

    private static void ReadSymbols(ref WasmReader reader, List<LinkingSymbol> symbols)
    {
        var count = reader.ReadCount(2);
        for (var i = 0; i < count; i++)
        {
            var kindStart = reader.Position;
            var kind = reader.ReadByte();
            var flags = reader.ReadVarUInt32();
            var undefined = (flags & LinkingSymbol.Undefined) != 0;
            switch ((SymbolKind)kind)
            {
                case SymbolKind.Function or SymbolKind.Global or SymbolKind.Tag or SymbolKind.Table:
                    var index = reader.ReadVarUInt32();
                    var name = !undefined || (flags & LinkingSymbol.ExplicitName) != 0 ? reader.ReadName() : null;
                    symbols.Add(new LinkingSymbol((SymbolKind)kind, flags, name, index));
                    break;
                case SymbolKind.Data:
                    var dataName = reader.ReadName();
                    if (undefined)
                        symbols.Add(new LinkingSymbol(SymbolKind.Data, flags, dataName, 0));
                    else
                        symbols.Add(new LinkingSymbol(SymbolKind.Data, flags, dataName, reader.ReadVarUInt32(), reader.ReadVarUInt32(), reader.ReadVarUInt32()));
                    break;
                case SymbolKind.Section:
                    symbols.Add(new LinkingSymbol(SymbolKind.Section, flags, null, reader.ReadVarUInt32()));
                    break;
                default:
                    throw reader.ErrorAt(kindStart, $"unknown symbol kind {kind}");
            }
        }
    }
}
