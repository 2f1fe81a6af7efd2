using Dwarfsmith.Dwarf.Reading;
using Dwarfsmith.Dwarf.Writing;

namespace Dwarfsmith.Dwarf.Transform;

public sealed partial class DwarfTransform
{
    /// <summary>
    /// A unit's DW_AT_macros, DW_AT_macro_info or DW_AT_GNU_macros: its macro information is read
    /// into the write model, shown to the visitor, and written again by the emitter in the output
    /// unit's format (DWARF 5: .debug_macro; DWARF 2–4: GNU .debug_macro where the input's was, else .debug_macinfo),
    /// with the string and line-program offsets of the output. Macro information this cannot carry
    /// over whole (imports of other macro units, supplementary strings, vendor opcodes) is left out
    /// with a warning, as is any on an entry other than the unit's root.
    /// </summary>
    private void TranslateMacros(in Reading.AttributeValue a, EntryBuilder output, UnitState state)
    {
        var unit = state.Input;
        if (output != state.Output.Root || state.Output.Macros is not null)
        {
            Warn($"{unit}: {a.Name} left out: macro information belongs to a unit's root, once");
            return;
        }

        if (MacroReader.ReadForUnit(unit, a.Name, a.Value, out string sectionName) is not { } input)
        {
            // A tool removed the section but not the attribute: nothing to keep, nothing malformed to report.
            Warn($"{unit}: {a.Name} left out: it points into {sectionName}, which the input does not have");
            return;
        }

        string? reason = input.Unsupported
            ?? (input.Entries.Any(e => e.Kind == MacroKind.Import) ? "it imports other macro units (DW_MACRO_import; clang does not emit them)" : null);
        if (reason is not null)
        {
            Warn($"{unit}: {a.Name} left out: the macro information at 0x{a.Value:X} of {sectionName} is not carried over: {reason}");
            return;
        }

        var format = state.Output.Version >= 5 ? MacroFormat.Macro
            : a.Name == DwAt.DW_AT_macro_info || input.Version >= 5 ? MacroFormat.Macinfo
            : MacroFormat.GnuMacro;
        // .debug_macro names the unit's line program in its header (DWARF 5 asks for it where a
        // start_file names a file); .debug_macinfo has no header.
        bool namesFiles = input.HasLineOffset || input.Entries.Any(e => e.Kind == MacroKind.StartFile);
        var macros = new MacroUnit(format, input.Entries, namesLineProgram: namesFiles);
        Visitor.VisitMacros(unit, macros);
        if (macros.Format != MacroFormat.Macinfo)
        {
            int vendor = macros.Entries.RemoveAll(e => e.Kind == MacroKind.VendorExtension);
            if (vendor > 0)
                Warn($"{unit}: {vendor} DW_MACINFO_vendor_ext entries left out: .debug_macro has no encoding for them");
        }

        state.Output.Macros = macros;
        output.Add(macros.AttributeName, Writing.AttributeValue.Macros());
    }
}
