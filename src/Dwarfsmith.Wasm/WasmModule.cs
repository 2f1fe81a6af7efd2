using System.Diagnostics.CodeAnalysis;

namespace Dwarfsmith.Wasm;

/// <summary>
/// A decoded WebAssembly module: the sections as they appear in the file plus typed views of the
/// standard sections. Function bodies are located, not decoded; custom sections are parsed on
/// first use. Read with <see cref="Read(ReadOnlyMemory{byte}, WasmFeatures)"/>; the module never
/// copies the input bytes.
/// </summary>
public sealed partial class WasmModule
{
    internal WasmModule(ReadOnlyMemory<byte> bytes, WasmFeatures features)
    {
        Bytes = bytes;
        Features = features;
    }

    public const uint Magic = 0x6D736100;

    public ReadOnlyMemory<byte> Bytes { get; }

    public WasmFeatures Features { get; }

    public uint Version { get; internal set; }

    public IReadOnlyList<Section> Sections { get; internal set; } = [];

    public IReadOnlyList<FunctionType> Types { get; internal set; } = [];

    public IReadOnlyList<Import> Imports { get; internal set; } = [];

    /// <summary>Type index of each defined (not imported) function, from the function section.</summary>
    public IReadOnlyList<uint> FunctionTypeIndices { get; internal set; } = [];

    /// <summary>Tables defined by the module (imported ones are in <see cref="Imports"/>).</summary>
    public IReadOnlyList<TableType> Tables { get; internal set; } = [];

    public IReadOnlyList<MemoryType> Memories { get; internal set; } = [];

    public IReadOnlyList<TagType> Tags { get; internal set; } = [];

    public IReadOnlyList<Global> Globals { get; internal set; } = [];

    public IReadOnlyList<Export> Exports { get; internal set; } = [];

    public uint? StartFunction { get; internal set; }

    public IReadOnlyList<ElementSegment> Elements { get; internal set; } = [];

    public uint? DataCount { get; internal set; }

    public IReadOnlyList<DataSegment> Data { get; internal set; } = [];

    /// <summary>Bodies of the defined functions, in order.</summary>
    public IReadOnlyList<FunctionBody> Bodies { get; internal set; } = [];

    public int ImportedFunctionCount { get; internal set; }

    public int ImportedTableCount { get; internal set; }

    public int ImportedMemoryCount { get; internal set; }

    public int ImportedGlobalCount { get; internal set; }

    public int ImportedTagCount { get; internal set; }

    public int FunctionCount => ImportedFunctionCount + FunctionTypeIndices.Count;

    public int TableCount => ImportedTableCount + Tables.Count;

    public int MemoryCount => ImportedMemoryCount + Memories.Count;

    public int GlobalCount => ImportedGlobalCount + Globals.Count;

    public int TagCount => ImportedTagCount + Tags.Count;

    public Section? CodeSection => FindSection(SectionId.Code);

    /// <summary>File offset of the code section payload: DWARF address 0.</summary>
    public long CodeSectionPayloadOffset => CodeSection?.PayloadOffset ?? 0;

    /// <summary>True for a relocatable object file (it carries a <c>linking</c> section).</summary>
    public bool IsObjectFile => FindCustomSection("linking") is not null;

    public IEnumerable<Section> CustomSections => Sections.Where(s => s.IsCustom);

    /// <summary>The <c>.debug_*</c> custom sections, by name.</summary>
    public IEnumerable<Section> DebugSections => CustomSections.Where(s => s.Name!.StartsWith(".debug_", StringComparison.Ordinal));

    /// <summary>The content bytes of the <c>.debug_*</c> sections together.</summary>
    public long DebugSize
    {
        get
        {
            long size = 0;
            foreach (var section in DebugSections)
                size += section.Content.Length; // not Linq's Sum: its generic code over long is left to the JIT on every run
            return size;
        }
    }

    /// <summary>Number of items a standard section declares (the count wasm-objdump prints), or null for custom and start sections.</summary>
    public int? ItemCount(SectionId id) => id switch
    {
        SectionId.Type => Types.Count,
        SectionId.Import => Imports.Count,
        SectionId.Function => FunctionTypeIndices.Count,
        SectionId.Table => Tables.Count,
        SectionId.Memory => Memories.Count,
        SectionId.Tag => Tags.Count,
        SectionId.Global => Globals.Count,
        SectionId.Export => Exports.Count,
        SectionId.Element => Elements.Count,
        SectionId.Code => Bodies.Count,
        SectionId.Data => Data.Count,
        SectionId.DataCount => (int?)DataCount,
        _ => null,
    };

    public Section? FindSection(SectionId id) => id == SectionId.Custom ? null : Sections.FirstOrDefault(s => s.Id == id);

    public Section? FindCustomSection(string name) => Sections.FirstOrDefault(s => s.IsCustom && s.Name == name);

    /// <summary>The signature of a function by its index in the function index space.</summary>
    public bool TryGetFunctionType(uint functionIndex, [NotNullWhen(true)] out FunctionType? type)
    {
        type = null;
        uint typeIndex;
        if (functionIndex < ImportedFunctionCount)
            typeIndex = FunctionImports().ElementAt((int)functionIndex).TypeIndex;
        else if (functionIndex - (uint)ImportedFunctionCount < (uint)FunctionTypeIndices.Count)
            typeIndex = FunctionTypeIndices[(int)(functionIndex - (uint)ImportedFunctionCount)];
        else
            return false;
        if (typeIndex >= Types.Count)
            return false;
        type = Types[(int)typeIndex];
        return true;
    }

    public IEnumerable<Import> FunctionImports() => Imports.Where(i => i.Kind == ExternalKind.Function);

    /// <summary>The body of a defined function by its index in the function index space.</summary>
    public bool TryGetBody(uint functionIndex, [NotNullWhen(true)] out FunctionBody? body)
    {
        var defined = (long)functionIndex - ImportedFunctionCount;
        body = defined >= 0 && defined < Bodies.Count ? Bodies[(int)defined] : null;
        return body is not null;
    }

    /// <summary>The body whose bytes contain a DWARF code address (an offset in the code section payload).</summary>
    public bool TryFindBodyByCodeOffset(uint codeOffset, [NotNullWhen(true)] out FunctionBody? body)
    {
        int lo = 0, hi = Bodies.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var candidate = Bodies[mid];
            if (codeOffset < candidate.CodeOffset)
                hi = mid - 1;
            else if (codeOffset >= candidate.CodeOffset + (uint)candidate.Size)
                lo = mid + 1;
            else
            {
                body = candidate;
                return true;
            }
        }
        body = null;
        return false;
    }

    public static WasmModule Read(ReadOnlyMemory<byte> bytes, WasmFeatures features = WasmFeatures.All) =>
        ModuleReader.Read(bytes, features);

    public static WasmModule ReadFile(string path, WasmFeatures features = WasmFeatures.All) =>
        Read(File.ReadAllBytes(path), features);
}
