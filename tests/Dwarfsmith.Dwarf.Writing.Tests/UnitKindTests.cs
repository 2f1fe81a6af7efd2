using Xunit;

namespace Dwarfsmith.Dwarf.Writing.Tests;

/// <summary>Unit types beyond compile units, and the model's errors.</summary>
public class UnitKindTests
{
    [Theory]
    [InlineData(DwarfFormat.Dwarf32)]
    [InlineData(DwarfFormat.Dwarf64)]
    public void Version5_type_unit_is_referenced_by_signature(DwarfFormat format)
    {
        const ulong Signature = 0x1122334455667788;
        var output = new DwarfOutput();
        var compile = output.AddUnit(5, 4, format);
        compile.Root.Add(DwAt.DW_AT_name, AttributeValue.String("main.c"));
        var typeUnit = output.AddUnit(5, 4, format, DwUt.DW_UT_type, DwTag.DW_TAG_type_unit);
        typeUnit.TypeSignature = Signature;
        typeUnit.Root.Add(DwAt.DW_AT_language, AttributeValue.Unsigned(0x1d, DwForm.DW_FORM_data2));
        var intType = typeUnit.Root.AddChild(DwTag.DW_TAG_base_type)
            .Add(DwAt.DW_AT_name, AttributeValue.String("int"))
            .Add(DwAt.DW_AT_encoding, AttributeValue.Unsigned((ulong)DwAte.DW_ATE_signed))
            .Add(DwAt.DW_AT_byte_size, AttributeValue.Unsigned(4));
        var structure = typeUnit.Root.AddChild(DwTag.DW_TAG_structure_type)
            .Add(DwAt.DW_AT_name, AttributeValue.String("pair"))
            .Add(DwAt.DW_AT_byte_size, AttributeValue.Unsigned(8));
        structure.AddChild(DwTag.DW_TAG_member)
            .Add(DwAt.DW_AT_name, AttributeValue.String("a"))
            .Add(DwAt.DW_AT_type, AttributeValue.Reference(intType))
            .Add(DwAt.DW_AT_data_member_location, AttributeValue.Unsigned(0));
        typeUnit.TypeEntry = structure.Id;
        compile.Root.AddChild(DwTag.DW_TAG_variable)
            .Add(DwAt.DW_AT_name, AttributeValue.String("p"))
            .Add(DwAt.DW_AT_type, AttributeValue.TypeSignature(Signature));

        string path = DwarfTool.EmitAndWrap(output, $"type-unit-{format}", out _);
        ModelChecker.Check(output, path);
        var units = DumpParser.ParseInfo(DwarfTool.Dump(path, "-v", "--debug-info"));
        Assert.Contains("unit_type = DW_UT_type", units[1].Header, StringComparison.Ordinal);
        Assert.Contains($"type_signature = 0x{Signature:x16}", units[1].Header, StringComparison.Ordinal);
        long typeOffset = units[1].Root.Children[1].Offset - units[1].Offset;
        Assert.Contains($"type_offset = 0x{typeOffset:x4}", units[1].Header, StringComparison.Ordinal);
    }

    [Fact]
    public void Version4_type_units_are_refused()
    {
        var output = new DwarfOutput();
        output.AddUnit(4, 4, unitType: DwUt.DW_UT_type, rootTag: DwTag.DW_TAG_type_unit);
        Assert.Throws<NotSupportedException>(() => output.Emit());
    }

    [Fact]
    public void A_pinned_form_that_cannot_hold_the_value_is_an_error()
    {
        var output = new DwarfOutput();
        output.AddUnit(4, 4).Root.Add(DwAt.DW_AT_byte_size, AttributeValue.Unsigned(300, DwForm.DW_FORM_data1));
        var ex = Assert.Throws<InvalidOperationException>(() => output.Emit());
        Assert.Contains("DW_AT_byte_size", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_form_of_another_class_is_an_error()
    {
        var output = new DwarfOutput();
        output.AddUnit(4, 4).Root.Add(DwAt.DW_AT_name, AttributeValue.String("x", DwForm.DW_FORM_data4));
        Assert.Throws<InvalidOperationException>(() => output.Emit());
    }

    [Fact]
    public void A_reference_to_an_entry_outside_the_tree_is_an_error()
    {
        var output = new DwarfOutput();
        var unit = output.AddUnit(5, 4);
        var detached = unit.NewEntry(DwTag.DW_TAG_base_type);
        unit.Root.AddChild(DwTag.DW_TAG_typedef).Add(DwAt.DW_AT_type, AttributeValue.Reference(detached));
        Assert.Throws<InvalidOperationException>(() => output.Emit());

        unit.Root.AppendChild(detached); // attached later: now fine
        Assert.True(output.Emit()[".debug_info"].Length > 0);
    }

    [Fact]
    public void Forward_references_across_units_are_patched()
    {
        var output = new DwarfOutput();
        var first = output.AddUnit(4, 4);
        var second = output.AddUnit(4, 4);
        first.Root.Add(DwAt.DW_AT_name, AttributeValue.String("first.c"));
        second.Root.Add(DwAt.DW_AT_name, AttributeValue.String("second.c"));
        var later = second.Root.AddChild(DwTag.DW_TAG_base_type).Add(DwAt.DW_AT_name, AttributeValue.String("int"));
        first.Root.AddChild(DwTag.DW_TAG_typedef).Add(DwAt.DW_AT_type, AttributeValue.Reference(later));
        string path = DwarfTool.EmitAndWrap(output, "forward-ref-addr", out _);
        ModelChecker.Check(output, path);
    }

    [Fact]
    public void Emitting_twice_gives_the_same_bytes()
    {
        var output = Models.EveryKind(5, DwarfFormat.Dwarf32, true, true, true);
        var first = output.Emit();
        var second = output.Emit();
        Assert.Equal(first.Keys.Order(), second.Keys.Order());
        foreach (var (name, bytes) in first)
            Assert.Equal(bytes.ToArray(), second[name].ToArray());
    }
}

public class StringErrorTests
{
    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public void A_string_with_NUL_is_an_error(int version)
    {
        var output = new DwarfOutput();
        output.AddUnit((ushort)version, 4).Root.Add(DwAt.DW_AT_name, AttributeValue.String("a\0b"));
        Assert.Throws<InvalidOperationException>(() => output.Emit());
    }
}
