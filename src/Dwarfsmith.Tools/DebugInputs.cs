using Dwarfsmith.Dwarf;
using Dwarfsmith.Dwarf.Reading;
using Dwarfsmith.Elf;
using Dwarfsmith.Tools.PostLink;
using Dwarfsmith.Wasm;

namespace Dwarfsmith.Tools;

/// <summary>Opens the DWARF of a file of either container kind, told apart by its magic number.</summary>
public static class DebugInputs
{
    private static ReadOnlySpan<byte> WasmMagic => [0x00, 0x61, 0x73, 0x6D];

    private static ReadOnlySpan<byte> ElfMagic => [0x7F, 0x45, 0x4C, 0x46];

    /// <summary>The debug sections of a wasm module or an ELF file; anything else is a <see cref="DwarfFormatException"/> at offset 0.</summary>
    public static DwarfSections Open(ReadOnlyMemory<byte> bytes) => Open(bytes, path: null, out _);

    /// <summary>
    /// As <see cref="Open(ReadOnlyMemory{byte})"/>; a wasm module read from <paramref name="path"/>
    /// that has no .debug_* sections but an <c>external_debug_info</c> link gives the DWARF of the
    /// file the link names (<paramref name="debugFile"/>), when it is there.
    /// </summary>
    public static DwarfSections Open(ReadOnlyMemory<byte> bytes, string? path, out DebugFile? debugFile)
    {
        debugFile = null;
        var span = bytes.Span;
        if (span.StartsWith(WasmMagic))
        {
            var module = WasmModule.Read(bytes);
            if (path is not null && !module.DebugSections.Any() && DebugFileLocator.TryFind(path, module, out debugFile))
                return DwarfContainers.FromWasm(debugFile.Module);
            return DwarfContainers.FromWasm(module);
        }

        if (span.StartsWith(ElfMagic))
            return DwarfContainers.FromElf(ElfFile.Read(bytes));
        throw new DwarfFormatException("neither a WebAssembly module nor an ELF file (unknown magic number)", "file header", 0);
    }
}
