using Xunit;


namespace Dwarfsmith.Dwarf.Writing.Tests;

public class ScratchTests
{
    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public void Scratch(int version)
    {
        var output = new DwarfOutput();
        var unit = output.AddUnit((ushort)version, 4);
        var program = new LineProgram((ushort)version, 4);
        if (version >= 5)
        {
            program.Directories.Add("/comp");
            program.Files.Add(new LineFile("a.c", 0));
        }

        program.Files.Add(new LineFile("a.c", 0));
        var seq = program.AddSequence(0x40);
        seq.Rows.Add(new LineRow(0x10, 1, 3, 2));
        seq.Rows.Add(new LineRow(0x14, 1, 4, 0) { PrologueEnd = true });
        seq.Rows.Add(new LineRow(0x30, 1, 2, 5) { IsStmt = false, Discriminator = 3 });
        var lp = output.AddLineProgram(program);
        var root = unit.Root;
        root.Add(DwAt.DW_AT_producer, AttributeValue.String("dwarfsmith"))
            .Add(DwAt.DW_AT_name, AttributeValue.String("a.c"))
            .Add(DwAt.DW_AT_stmt_list, AttributeValue.LineProgram(lp))
            .Add(DwAt.DW_AT_low_pc, AttributeValue.Address(0x10))
            .Add(DwAt.DW_AT_high_pc, AttributeValue.Unsigned(0x30));
        var intType = root.AddChild(DwTag.DW_TAG_base_type)
            .Add(DwAt.DW_AT_name, AttributeValue.String("int"))
            .Add(DwAt.DW_AT_encoding, AttributeValue.Unsigned((ulong)DwAte.DW_ATE_signed))
            .Add(DwAt.DW_AT_byte_size, AttributeValue.Unsigned(4));
        var fn = root.AddChild(DwTag.DW_TAG_subprogram)
            .Add(DwAt.DW_AT_name, AttributeValue.String("main"))
            .Add(DwAt.DW_AT_low_pc, AttributeValue.Address(0x10))
            .Add(DwAt.DW_AT_high_pc, AttributeValue.Unsigned(0x30))
            .Add(DwAt.DW_AT_type, AttributeValue.Reference(intType))
            .Add(DwAt.DW_AT_external, AttributeValue.Flag(true))
            .Add(DwAt.DW_AT_frame_base, AttributeValue.Expression(new byte[] { 0xED, 0x03, 0, 0, 0, 0, 0x9F }));
        var ranges = unit.AddRangeList(new RangeList().Add(0x10, 0x20).Add(0x28, 0x30).Add(0x4, 0x8));
        var locs = unit.AddLocationList(new LocationList().Add(0x10, 0x18, new byte[] { 0x30, 0x9f }).Add(0x18, 0x30, new byte[] { 0x31, 0x9f }));
        var block = fn.AddChild(DwTag.DW_TAG_lexical_block).Add(DwAt.DW_AT_ranges, AttributeValue.RangeList(ranges));
        block.AddChild(DwTag.DW_TAG_variable)
            .Add(DwAt.DW_AT_name, AttributeValue.InlineString("x"))
            .Add(DwAt.DW_AT_location, AttributeValue.LocationList(locs))
            .Add(DwAt.DW_AT_type, AttributeValue.Reference(intType))
            .Add(DwAt.DW_AT_const_value, AttributeValue.Signed(-3))
            .Add(DwAt.DW_AT_decl_line, AttributeValue.Unsigned(300));
        string path = DwarfTool.EmitAndWrap(output, "scratch" + version, out var sections);
        Console.WriteLine(path);
        Console.WriteLine(string.Join(",", sections.Select(s => s.Key + "=" + s.Value.Length)));
    }
}
