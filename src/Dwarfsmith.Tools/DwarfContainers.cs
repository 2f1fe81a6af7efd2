using Dwarfsmith.Dwarf.Reading;
using Dwarfsmith.Elf;
using Dwarfsmith.Wasm;

namespace Dwarfsmith.Tools;

/// <summary>Adapters that hand a container's DWARF sections to the DWARF library.</summary>
public static class DwarfContainers
{
    /// <summary>
    /// The .debug_* custom sections of a wasm module (their content, after the name), address size 4.
    /// In a linked module address 0 is the code section's function count, never code, so it marks dead code.
    /// </summary>
    public static DwarfSections FromWasm(WasmModule module)
    {
        ArgumentNullException.ThrowIfNull(module);
        var debug = new List<Section>(module.DebugSections);
        var sections = new DwarfSection[debug.Count];
        for (int i = 0; i < sections.Length; i++)
            sections[i] = new DwarfSection(debug[i].Name!, debug[i].Content, debug[i].ContentOffset);
        return new DwarfSections(4, sections, zeroIsTombstone: !module.IsObjectFile);
    }

    /// <summary>
    /// The .debug_* sections of an ELF file, address size by class. Compressed debug sections
    /// (SHF_COMPRESSED, .zdebug_*) are unsupported input: <see cref="ElfFormatException"/>.
    /// </summary>
    public static DwarfSections FromElf(ElfFile elf)
    {
        ArgumentNullException.ThrowIfNull(elf);
        var list = new List<DwarfSection>();
        foreach (var s in elf.Sections)
        {
            if (!s.Name.StartsWith(".debug_", StringComparison.Ordinal) && !s.Name.StartsWith(".zdebug_", StringComparison.Ordinal))
                continue;
            if (s.IsCompressed)
                throw new ElfFormatException("compressed debug sections are not supported (rebuild with -gz=none or run objcopy --decompress-debug-sections)", s.Name, (long)s.Offset);
            list.Add(new DwarfSection(s.Name, s.Data, (long)s.Offset));
        }

        return new DwarfSections(elf.AddressSize, list.ToArray(), zeroIsTombstone: elf.Type != ElfFile.EtRel);
    }

    /// <summary>Reads an ELF file's bytes and returns its DWARF sections.</summary>
    public static DwarfSections FromElf(ReadOnlyMemory<byte> elfBytes) => FromElf(ElfFile.Read(elfBytes));
}
