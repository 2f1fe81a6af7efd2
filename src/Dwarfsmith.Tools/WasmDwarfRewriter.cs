using Dwarfsmith.Dwarf.Transform;
using Dwarfsmith.Wasm;
using Dwarfsmith.Wasm.Writing;

namespace Dwarfsmith.Tools;

/// <summary>A rewritten module and what the DWARF rewrite reported.</summary>
public sealed class WasmRewrite(ModuleBuilder builder, DwarfRewrite dwarf)
{
    private byte[]? _module;

    /// <summary>The module's sections, to write out without encoding it whole (<see cref="ModuleBuilder.WriteTo(Stream)"/>).</summary>
    public ModuleBuilder Builder { get; } = builder;

    public DwarfRewrite Dwarf { get; } = dwarf;

    /// <summary>The encoded module (encoded on first use).</summary>
    public byte[] Module => _module ??= Builder.ToArray();
}

/// <summary>Runs the DWARF transformation pass over a wasm module's .debug_* custom sections.</summary>
public static class WasmDwarfRewriter
{
    /// <summary>
    /// Rewrites the module's DWARF through <paramref name="visitor"/>. Every other section is kept
    /// byte for byte; each rewritten .debug_* section takes the place of its input, and sections the
    /// input did not have follow the last debug section (or end the module).
    /// </summary>
    public static WasmRewrite Rewrite(WasmModule module, DwarfVisitor visitor)
    {
        ArgumentNullException.ThrowIfNull(module);
        var dwarf = DwarfRewriter.Rewrite(DwarfContainers.FromWasm(module), visitor);
        var builder = new ModuleBuilder(module);
        ReplaceDebugSections(builder, dwarf.Sections);
        return new WasmRewrite(builder, dwarf);
    }

    /// <summary>Puts <paramref name="sections"/> in place of the builder's .debug_* sections, keeping their positions.</summary>
    public static void ReplaceDebugSections(ModuleBuilder builder, IReadOnlyDictionary<string, ReadOnlyMemory<byte>> sections)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(sections);
        var placed = new HashSet<string>(StringComparer.Ordinal);
        int insertAt = -1;
        for (int i = 0; i < builder.Sections.Count; i++)
        {
            var section = builder.Sections[i];
            if (!section.IsCustom || section.Name is not { } name || !name.StartsWith(".debug_", StringComparison.Ordinal))
                continue;
            if (sections.TryGetValue(name, out var content) && placed.Add(name))
            {
                builder.RemoveAt(i);
                builder.Insert(i, SectionEntry.Custom(name, content));
                insertAt = i + 1;
            }
            else
            {
                builder.RemoveAt(i--);
            }
        }

        if (insertAt < 0)
            insertAt = builder.Sections.Count;
        var added = new List<string>();
        foreach (var name in sections.Keys)
        {
            if (!placed.Contains(name))
                added.Add(name);
        }

        added.Sort(StringComparer.Ordinal);
        foreach (var name in added)
            builder.Insert(insertAt++, SectionEntry.Custom(name, sections[name]));
    }
}
