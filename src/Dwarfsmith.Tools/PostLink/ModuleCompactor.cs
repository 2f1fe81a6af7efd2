using Dwarfsmith.Dwarf.Transform;
using Dwarfsmith.Wasm;
using Dwarfsmith.Wasm.Compaction;
using Dwarfsmith.Wasm.Writing;

namespace Dwarfsmith.Tools.PostLink;

/// <summary>A compacted module before encoding: its sections, where its code went and its rewritten DWARF.</summary>
/// <param name="Builder">Every section of the output; the build id still the input's (see <see cref="BuildIds"/>).</param>
/// <param name="Code">The compacted code section and its offset map.</param>
/// <param name="Dwarf">The DWARF rewrite, or null when the module has no .debug_* sections.</param>
public sealed record CompactedModule(ModuleBuilder Builder, CompactedCode Code, DwarfRewrite? Dwarf);

/// <summary>
/// <c>dwarfsmith compact</c>: what <c>wasm-ld --compress-relocations</c> does, after linking and with
/// debug information kept. Every padded LEB is re-encoded at its minimal width (the code through
/// <see cref="CodeCompactor"/>, other standard sections from their model, section sizes), and the
/// DWARF is rewritten through the transformation pass with the code offsets mapped.
/// </summary>
public static class ModuleCompactor
{
    /// <summary>Compacts and encodes a module; a <c>build_id</c> it has is recomputed for the new bytes.</summary>
    public static byte[] Compact(WasmModule module) => Encode(Build(module), module);

    /// <summary>Encodes a compacted module, recomputing the input's build id (of the same length) if it had one.</summary>
    public static byte[] Encode(CompactedModule compacted, WasmModule input)
    {
        ArgumentNullException.ThrowIfNull(compacted);
        ArgumentNullException.ThrowIfNull(input);
        return input.BuildId is { } id
            ? BuildIds.EncodeWithNewId(compacted.Builder, id.Length).Module
            : compacted.Builder.ToArray();
    }

    /// <summary>
    /// Writes a compacted module to <paramref name="output"/> as <see cref="Encode"/> encodes it, and
    /// returns its size: section by section when it has no build id, whole when a new one must be
    /// hashed over the module's bytes.
    /// </summary>
    public static long WriteTo(CompactedModule compacted, WasmModule input, Stream output)
    {
        ArgumentNullException.ThrowIfNull(compacted);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        if (input.BuildId is not null)
        {
            var bytes = Encode(compacted, input);
            output.Write(bytes);
            return bytes.Length;
        }

        compacted.Builder.WriteTo(output);
        return compacted.Builder.EncodedSize;
    }

    /// <summary>Lays out the compacted module without encoding it, for callers that go on (split).</summary>
    public static CompactedModule Build(WasmModule module)
    {
        LinkedModule.Require(module, "compact");
        var code = CodeCompactor.Compact(module);
        var builder = new ModuleBuilder(module);
        for (int i = 0; i < builder.Sections.Count; i++)
        {
            if (Shrink(module, builder.Sections[i]) is { } smaller)
            {
                builder.RemoveAt(i);
                builder.Insert(i, smaller);
            }
        }
        if (module.CodeSection is not null)
            builder.SetStandard(SectionId.Code, code.Payload);

        DwarfRewrite? dwarf = null;
        if (module.DebugSections.Any())
        {
            dwarf = DwarfRewriter.Rewrite(DwarfContainers.FromWasm(module), new CodeOffsetMapVisitor(code.Map));
            WasmDwarfRewriter.ReplaceDebugSections(builder, dwarf.Sections);
        }
        return new CompactedModule(builder, code, dwarf);
    }

    /// <summary>
    /// A smaller encoding of a non-code section, or null to keep it byte for byte: a standard section
    /// re-encoded from the typed model when that is shorter, a padded section size LEB made minimal.
    /// </summary>
    private static SectionEntry? Shrink(WasmModule module, SectionEntry entry)
    {
        var section = entry.Original!;
        if (section.Id == SectionId.Code || section.Name?.StartsWith(".debug_", StringComparison.Ordinal) == true)
            return null;
        if (!section.IsCustom)
        {
            var encoded = SectionEncoder.Encode(module, section.Id);
            if (encoded.Length < section.PayloadSize)
                return SectionEntry.Standard(section.Id, encoded);
        }
        bool paddedSize = section.PayloadStart - 1 > WasmWriter.SizeOfVarUInt((ulong)section.PayloadSize);
        if (!paddedSize)
            return null;
        return section.IsCustom ? SectionEntry.Custom(section.Name!, section.Content) : SectionEntry.Standard(section.Id, section.Payload);
    }
}
