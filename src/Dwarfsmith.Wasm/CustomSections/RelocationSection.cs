namespace Dwarfsmith.Wasm.CustomSections;

/// <summary>Relocation types of wasm object files (tool-conventions Linking.md).</summary>
public enum RelocationType : byte
{
    FunctionIndexLeb = 0,
    TableIndexSleb = 1,
    TableIndexI32 = 2,
    MemoryAddrLeb = 3,
    MemoryAddrSleb = 4,
    MemoryAddrI32 = 5,
    TypeIndexLeb = 6,
    GlobalIndexLeb = 7,
    FunctionOffsetI32 = 8,
    SectionOffsetI32 = 9,
    TagIndexLeb = 10,
    MemoryAddrRelSleb = 11,
    TableIndexRelSleb = 12,
    GlobalIndexI32 = 13,
    MemoryAddrLeb64 = 14,
    MemoryAddrSleb64 = 15,
    MemoryAddrI64 = 16,
    MemoryAddrRelSleb64 = 17,
    TableIndexSleb64 = 18,
    TableIndexI64 = 19,
    TableNumberLeb = 20,
    MemoryAddrTlsSleb = 21,
    FunctionOffsetI64 = 22,
    MemoryAddrLocrelI32 = 23,
    TableIndexRelSleb64 = 24,
    MemoryAddrTlsSleb64 = 25,
    FunctionIndexI32 = 26,
}

public readonly record struct Relocation(RelocationType Type, uint Offset, uint Index, int Addend);

/// <summary>A <c>reloc.*</c> section: relocations that apply to the section with index <see cref="TargetSectionIndex"/>.</summary>
public sealed class RelocationSection
{
    public required string Name { get; init; }

    public required uint TargetSectionIndex { get; init; }

    public required Relocation[] Relocations { get; init; }

    public static bool HasAddend(RelocationType type) => type is
        RelocationType.MemoryAddrLeb or RelocationType.MemoryAddrSleb or RelocationType.MemoryAddrI32 or
        RelocationType.FunctionOffsetI32 or RelocationType.SectionOffsetI32 or RelocationType.MemoryAddrRelSleb or
        RelocationType.MemoryAddrLeb64 or RelocationType.MemoryAddrSleb64 or RelocationType.MemoryAddrI64 or
        RelocationType.MemoryAddrRelSleb64 or RelocationType.MemoryAddrTlsSleb or RelocationType.FunctionOffsetI64 or
        RelocationType.MemoryAddrLocrelI32 or RelocationType.MemoryAddrTlsSleb64;

    public static RelocationSection Parse(Section section)
    {
        var reader = section.ContentReader();
        var target = reader.ReadVarUInt32();
        var count = reader.ReadCount(3);
        var relocations = new Relocation[count];
        for (var i = 0; i < count; i++)
        {
            var typeStart = reader.Position;
            var type = reader.ReadByte();
            if (type > (byte)RelocationType.FunctionIndexI32)
                throw reader.ErrorAt(typeStart, $"unknown relocation type {type}");
            var offset = reader.ReadVarUInt32();
            var index = reader.ReadVarUInt32();
            var addend = HasAddend((RelocationType)type) ? reader.ReadVarInt32() : 0;
            relocations[i] = new Relocation((RelocationType)type, offset, index, addend);
        }
        if (!reader.AtEnd)
            throw reader.Error("junk after relocations");
        return new RelocationSection { Name = section.Name!, TargetSectionIndex = target, Relocations = relocations };
    }
}
