using Dwarfsmith.Dwarf.Collections;
using Dwarfsmith.Dwarf.Reading;

namespace Dwarfsmith.Dwarf.Transform;

/// <summary>The debug sections after a rewrite, and what the rewrite had to leave out.</summary>
public sealed record DwarfRewrite(
    SectionMap Sections,
    IReadOnlyList<string> RemovedSections,
    IReadOnlyList<string> Warnings);

/// <summary>
/// Rewrites a whole set of debug sections through <see cref="DwarfTransform"/>: the sections the
/// write model owns are emitted anew; the others are kept when their content stays valid, and
/// removed (with a warning) when it holds offsets or addresses the rewrite moved.
/// </summary>
public static class DwarfRewriter
{
    /// <summary>Sections the emitter produces (an input section of these names is replaced or, when the output has none, removed).</summary>
    public static readonly IReadOnlySet<string> OwnedSections = new HashSet<string>(StringComparer.Ordinal)
    {
        DwarfSections.Info, DwarfSections.Abbrev, DwarfSections.Str, DwarfSections.LineStr, DwarfSections.StrOffsets,
        DwarfSections.Addr, DwarfSections.Line, DwarfSections.Ranges, DwarfSections.Rnglists, DwarfSections.Loc,
        DwarfSections.Loclists, DwarfSections.Aranges, DwarfSections.Macro, DwarfSections.Macinfo,
    };

    public static DwarfRewrite Rewrite(DwarfSections input, DwarfVisitor visitor)
    {
        ArgumentNullException.ThrowIfNull(input);
        var context = new DwarfContext(input);
        var result = DwarfTransform.Run(context, visitor);
        var emitted = result.Output.EmitWithLayout();
        var sections = emitted.Sections;
        var removed = new List<string>();
        var warnings = new List<string>(result.Warnings);
        bool movesCode = visitor.MovesCode;
        foreach (var section in input.All)
        {
            if (OwnedSections.Contains(section.Name))
            {
                if (!sections.ContainsKey(section.Name))
                    removed.Add(section.Name);
                continue;
            }

            if (NameTableRewriter.Handles(section.Name))
            {
                sections[section.Name] = NameTableRewriter.Rewrite(section, result.EntryMap, emitted.Layout, result.Output);
                continue;
            }

            if (section.Name == DwarfSections.Names)
            {
                var names = NameIndexRewriter.Rewrite(section, context, result.EntryMap, emitted.Layout, result.Output, emitted.InternString, out string? reason);
                if (names is not null)
                {
                    sections[section.Name] = names;
                    sections[DwarfSections.Str] = emitted.StringSection;
                }
                else
                {
                    removed.Add(section.Name);
                    warnings.Add($"{section.Name} left out: {reason}");
                }

                continue;
            }

            if (movesCode && section.Name == DwarfSections.Frame)
            {
                removed.Add(section.Name);
                warnings.Add($"{section.Name} left out: it holds offsets or addresses that the rewrite moved");
                continue;
            }

            sections[section.Name] = section.Data;
        }

        return new DwarfRewrite(sections, removed, warnings);
    }
}
