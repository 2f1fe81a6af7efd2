using System.Text.RegularExpressions;
using Xunit;

namespace Dwarfsmith.Dwarf.Writing.Tests;

/// <summary>Expression operands that name entries are patched to the entries' offsets, in attributes and in location lists.</summary>
public partial class ExpressionReferenceTests
{
    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public void Convert_and_call_operands_name_the_entries_they_reference(ushort version)
    {
        var output = new DwarfOutput();
        var unit = output.AddUnit(version, 4);
        var root = unit.Root.Add(DwAt.DW_AT_name, AttributeValue.String("refs.c")).Add(DwAt.DW_AT_low_pc, AttributeValue.Address(0));
        root.AddChild(DwTag.DW_TAG_base_type).Add(DwAt.DW_AT_name, AttributeValue.String("padding"))
            .Add(DwAt.DW_AT_encoding, AttributeValue.Unsigned((ulong)DwAte.DW_ATE_signed)).Add(DwAt.DW_AT_byte_size, AttributeValue.Unsigned(1));
        var function = root.AddChild(DwTag.DW_TAG_subprogram).Add(DwAt.DW_AT_name, AttributeValue.String("callee"));
        var variable = function.AddChild(DwTag.DW_TAG_variable).Add(DwAt.DW_AT_name, AttributeValue.String("v"));
        var baseType = root.AddChild(DwTag.DW_TAG_base_type).Add(DwAt.DW_AT_name, AttributeValue.String("long"))
            .Add(DwAt.DW_AT_encoding, AttributeValue.Unsigned((ulong)DwAte.DW_ATE_signed)).Add(DwAt.DW_AT_byte_size, AttributeValue.Unsigned(8));

        // DW_OP_lit1, DW_OP_convert <long> (ULEB placeholder), DW_OP_stack_value
        byte[] convert = [0x31, 0xA8, 0, 0, 0, 0, 0x9F];
        variable.Add(DwAt.DW_AT_location, AttributeValue.Expression(convert, references: [new ExpressionReference(2, ExpressionReferenceKind.UnitOffsetUleb, baseType.Id)]));

        // In a location list: DW_OP_call4 <callee>, then the same convert.
        byte[] call = [0x99, 0, 0, 0, 0, 0x31, 0xA8, 0, 0, 0, 0, 0x9F];
        var list = new LocationList();
        list.Entries.Add(new LocationListEntry(0x10, 0x20, call)
        {
            References = [new ExpressionReference(1, ExpressionReferenceKind.UnitOffset4, function.Id), new ExpressionReference(7, ExpressionReferenceKind.UnitOffsetUleb, baseType.Id)],
        });
        function.AddChild(DwTag.DW_TAG_variable).Add(DwAt.DW_AT_name, AttributeValue.String("w"))
            .Add(DwAt.DW_AT_location, AttributeValue.LocationList(unit.AddLocationList(list)));

        string path = DwarfTool.EmitAndWrap(output, $"expression-references-v{version}", out _);
        DwarfTool.Verify(path);
        string dump = DwarfTool.Dump(path, "--debug-info");
        long longOffset = DieOffset(dump, "\"long\"");  // one unit at offset 0: unit offsets are section offsets
        long calleeOffset = DieOffset(dump, "\"callee\"");  // one unit at offset 0: unit offsets are section offsets
        var converts = ConvertOperand().Matches(dump).Select(m => Convert.ToInt64(m.Groups[1].Value, 16)).ToList();
        Assert.Equal([longOffset, longOffset], converts);
        var calls = CallOperand().Matches(dump).Select(m => Convert.ToInt64(m.Groups[1].Value, 16)).ToList();
        Assert.Equal([calleeOffset], calls);
    }

    /// <summary>The offset of the entry whose DW_AT_name line contains <paramref name="name"/>.</summary>
    private static long DieOffset(string dump, string name)
    {
        long offset = -1;
        foreach (string line in dump.Split('\n'))
        {
            var die = DieLine().Match(line);
            if (die.Success)
                offset = Convert.ToInt64(die.Groups[1].Value, 16);
            else if (line.Contains("DW_AT_name", StringComparison.Ordinal) && line.Contains(name, StringComparison.Ordinal))
                return offset;
        }

        throw new InvalidOperationException($"no entry named {name} in the dump");
    }

    [GeneratedRegex(@"^0x([0-9a-f]+):\s+DW_TAG_")]
    private static partial Regex DieLine();

    [GeneratedRegex(@"DW_OP_convert \(0x([0-9a-f]+)\)")]
    private static partial Regex ConvertOperand();

    [GeneratedRegex(@"DW_OP_call4 0x([0-9a-f]+)")]
    private static partial Regex CallOperand();
}
