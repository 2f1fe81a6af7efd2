using Dwarfsmith.Dwarf.Reading;
using Dwarfsmith.Dwarf.Writing;

namespace Dwarfsmith.Dwarf.Transform;

/// <summary>
/// Converts every unit and its line program to one DWARF version (4 ↔ 5). The emitter picks the
/// forms and list encodings of the target version; this visitor renumbers the line table's files:
/// DWARF 5 lists the primary source file as file 0 and the compilation directory as directory 0,
/// where DWARF 4 leaves both implicit and counts files from 1.
/// </summary>
public sealed class VersionConversionVisitor : DwarfVisitor
{
    private readonly ushort _target;
    private Unit _unit = null!;
    private ulong _unitFileShift;
    private ulong _lineFileShift;

    public VersionConversionVisitor(ushort targetVersion)
    {
        if (targetVersion is < 2 or > 5)
            throw new ArgumentOutOfRangeException(nameof(targetVersion), targetVersion, "DWARF versions 2 to 5");
        _target = targetVersion;
    }

    public override ushort OutputVersion(Unit unit) => _target;

    public override void BeginUnit(Unit input, UnitBuilder output)
    {
        _unit = input;
        _unitFileShift = input.Version >= 5 && _target < 5 ? 1UL : 0UL;
    }

    public override void VisitAttribute(in Reading.AttributeValue attribute, AttributeWriter output)
    {
        if (_unitFileShift != 0 && attribute.Name is DwAt.DW_AT_decl_file or DwAt.DW_AT_call_file && attribute.IsConstant)
            output.Write(attribute.Name, Writing.AttributeValue.Unsigned(attribute.Value + _unitFileShift));
        else
            output.Keep();
    }

    /// <summary>An #include names a line-table file: shifted as DW_AT_decl_file is.</summary>
    public override void VisitMacros(Unit input, MacroUnit output)
    {
        if (_unitFileShift == 0)
            return;
        var entries = output.Entries;
        for (int i = 0; i < entries.Count; i++)
        {
            if (entries[i].Kind == MacroKind.StartFile)
                entries[i] = entries[i] with { File = entries[i].File + _unitFileShift };
        }
    }

    public override void VisitLineProgramHeader(Reading.LineProgram input, Writing.LineProgram output)
    {
        _lineFileShift = 0;
        if (input.Version >= 5 && output.Version < 5)
        {
            // Directory 0 (the compilation directory) becomes implicit; files keep their
            // directory numbers and move up by one.
            if (output.Directories.Count > 0)
                output.Directories.RemoveAt(0);
            output.HasMd5 = false;
            output.HasTimestampAndSize = false;
            _lineFileShift = 1;
        }
        else if (input.Version < 5 && output.Version >= 5)
        {
            output.Directories.Insert(0, _unit.CompilationDirectory ?? "");
            output.Files.Insert(0, new LineFile(_unit.Name ?? output.Files.FirstOrDefault()?.Path ?? "", 0));
            output.PathForm = DwForm.DW_FORM_line_strp;
        }
    }

    public override void VisitLineRow(in Reading.LineRow row, LineSequenceSink output) =>
        output.Keep(_lineFileShift == 0 ? row : row with { File = row.File + _lineFileShift });
}
