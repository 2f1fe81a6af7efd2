using Xunit;

namespace Dwarfsmith.Dwarf.Writing.Tests;

/// <summary>Hand-built models with every value kind and form, checked through llvm-dwarfdump.</summary>
public class EveryKindTests
{
    [Theory]
    [InlineData(2, DwarfFormat.Dwarf32, false, false, false)]
    [InlineData(3, DwarfFormat.Dwarf32, false, false, false)]
    [InlineData(3, DwarfFormat.Dwarf64, false, false, false)]
    [InlineData(4, DwarfFormat.Dwarf32, false, false, false)]
    [InlineData(4, DwarfFormat.Dwarf64, false, false, false)]
    [InlineData(5, DwarfFormat.Dwarf32, false, false, false)]
    [InlineData(5, DwarfFormat.Dwarf32, true, true, true)]
    [InlineData(5, DwarfFormat.Dwarf32, true, false, true)]
    [InlineData(5, DwarfFormat.Dwarf32, false, true, false)]
    [InlineData(5, DwarfFormat.Dwarf64, false, false, false)]
    [InlineData(5, DwarfFormat.Dwarf64, true, true, true)]
    public void Emitted_dwarf_verifies_and_dumps_as_built(int version, DwarfFormat format, bool addressIndex, bool listIndex, bool stringIndex)
    {
        var output = Models.EveryKind((ushort)version, format, addressIndex, listIndex, stringIndex);
        string path = DwarfTool.EmitAndWrap(output, $"every-v{version}-{format}-{addressIndex}{listIndex}{stringIndex}", out var sections);
        ModelChecker.Check(output, path);

        Assert.Equal(version >= 5, sections.ContainsKey(".debug_rnglists"));
        Assert.Equal(version < 5, sections.ContainsKey(".debug_ranges"));
        Assert.Equal(version >= 5 && addressIndex, sections.ContainsKey(".debug_addr"));
        Assert.Equal(version >= 5 && stringIndex, sections.ContainsKey(".debug_str_offsets"));
    }
}

/// <summary>The checker is not vacuous: a model changed after emission no longer matches the dump.</summary>
public class CheckerSelfTests
{
    [Theory]
    [InlineData("constant")]
    [InlineData("string")]
    [InlineData("reference")]
    [InlineData("range")]
    [InlineData("location")]
    [InlineData("line")]
    public void A_changed_model_fails_the_check(string what)
    {
        var output = Models.EveryKind(5, DwarfFormat.Dwarf32, true, true, true);
        string path = DwarfTool.EmitAndWrap(output, $"checker-{what}", out _);
        var unit = output.Units[0];
        var main = unit.Root.Children.First(c => c.Tag == DwTag.DW_TAG_subprogram);
        switch (what)
        {
            case "constant": main.Set(DwAt.DW_AT_decl_line, AttributeValue.Unsigned(13)); break;
            case "string": main.Set(DwAt.DW_AT_name, AttributeValue.String("mian")); break;
            case "reference": main.Set(DwAt.DW_AT_type, AttributeValue.Reference(unit.Root.Children[1])); break;
            case "range": unit.RangeLists[1].Ranges[0] = new AddressRange(0x110, 0x121); break;
            case "location": unit.LocationLists[0].Entries[2] = unit.LocationLists[0].Entries[2] with { Expression = Models.Lit0Stack }; break;
            case "line": output.LinePrograms[0].Sequences[0].Rows[1] = output.LinePrograms[0].Sequences[0].Rows[1] with { Column = 6 }; break;
        }

        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => ModelChecker.Check(output, path));
    }
}
