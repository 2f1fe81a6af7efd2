namespace Dwarfsmith.Dwarf.Writing.Tests;

/// <summary>Hand-built models for the tests.</summary>
internal static class Models
{
    public static readonly byte[] FrameBase = [0xED, 0x03, 0x00, 0x00, 0x00, 0x00, 0x9F]; // DW_OP_WASM_location 3 0, DW_OP_stack_value
    public static readonly byte[] Lit0Stack = [0x30, 0x9F];
    public static readonly byte[] Lit1Stack = [0x31, 0x9F];
    public static readonly byte[] FbregMinus8 = [0x91, 0x78];

    /// <summary>
    /// One compile unit with every attribute value kind, two functions with lexical blocks, range and
    /// location lists (including entries below the unit base), a line program, plus a second unit
    /// referencing into the first with ref_addr.
    /// </summary>
    public static DwarfOutput EveryKind(ushort version, DwarfFormat format, bool addressIndex, bool listIndex, bool stringIndex)
    {
        var output = new DwarfOutput();
        var program = LineProgram(version, format, "every.c");
        var lineProgram = output.AddLineProgram(program);

        var unit = output.AddUnit(version, 4, format);
        unit.UseAddressIndex = addressIndex;
        unit.UseListIndex = listIndex;
        unit.UseStringIndex = stringIndex;
        var root = unit.Root
            .Add(DwAt.DW_AT_producer, AttributeValue.String("dwarfsmith writer test"))
            .Add(DwAt.DW_AT_language, AttributeValue.Unsigned(0x1d, DwForm.DW_FORM_data2))
            .Add(DwAt.DW_AT_name, AttributeValue.String("every.c"))
            .Add(DwAt.DW_AT_stmt_list, AttributeValue.LineProgram(lineProgram))
            .Add(DwAt.DW_AT_comp_dir, version >= 5 ? AttributeValue.LineString("/work/src") : AttributeValue.String("/work/src"))
            .Add(DwAt.DW_AT_low_pc, AttributeValue.Address(0x100));
        var cuRanges = unit.AddRangeList(new RangeList().Add(0x100, 0x180).Add(0x200, 0x260));
        root.Add(DwAt.DW_AT_ranges, AttributeValue.RangeList(cuRanges));

        var intType = root.AddChild(DwTag.DW_TAG_base_type)
            .Add(DwAt.DW_AT_name, AttributeValue.String("int"))
            .Add(DwAt.DW_AT_encoding, AttributeValue.Unsigned((ulong)DwAte.DW_ATE_signed))
            .Add(DwAt.DW_AT_byte_size, AttributeValue.Unsigned(4));
        var longType = root.AddChild(DwTag.DW_TAG_base_type)
            .Add(DwAt.DW_AT_name, AttributeValue.InlineString("long long"))
            .Add(DwAt.DW_AT_encoding, AttributeValue.Unsigned((ulong)DwAte.DW_ATE_signed, DwForm.DW_FORM_udata))
            .Add(DwAt.DW_AT_byte_size, AttributeValue.Unsigned(8, DwForm.DW_FORM_data4));
        var pointer = root.AddChild(DwTag.DW_TAG_pointer_type)
            .Add(DwAt.DW_AT_type, AttributeValue.Reference(longType, DwForm.DW_FORM_ref4));
        var structType = root.AddChild(DwTag.DW_TAG_structure_type)
            .Add(DwAt.DW_AT_name, AttributeValue.String("point"))
            .Add(DwAt.DW_AT_byte_size, AttributeValue.Unsigned(16, DwForm.DW_FORM_udata))
            .Add(DwAt.DW_AT_decl_line, AttributeValue.Unsigned(70000));
        structType.AddChild(DwTag.DW_TAG_member)
            .Add(DwAt.DW_AT_name, AttributeValue.String("x"))
            .Add(DwAt.DW_AT_type, AttributeValue.Reference(intType, DwForm.DW_FORM_ref_udata))
            .Add(DwAt.DW_AT_data_member_location, AttributeValue.Unsigned(0, DwForm.DW_FORM_data1));
        structType.AddChild(DwTag.DW_TAG_member)
            .Add(DwAt.DW_AT_name, AttributeValue.String("next"))
            .Add(DwAt.DW_AT_type, AttributeValue.Reference(pointer, DwForm.DW_FORM_ref2))
            .Add(DwAt.DW_AT_data_member_location, AttributeValue.Unsigned(8, DwForm.DW_FORM_udata));

        var main = root.AddChild(DwTag.DW_TAG_subprogram)
            .Add(DwAt.DW_AT_low_pc, AttributeValue.Address(0x100))
            .Add(DwAt.DW_AT_high_pc, AttributeValue.Unsigned(0x80))
            .Add(DwAt.DW_AT_frame_base, AttributeValue.Expression(FrameBase))
            .Add(DwAt.DW_AT_name, AttributeValue.String("main"))
            .Add(DwAt.DW_AT_decl_line, AttributeValue.Unsigned(12))
            .Add(DwAt.DW_AT_type, AttributeValue.Reference(intType))
            .Add(DwAt.DW_AT_external, AttributeValue.Flag(true))
            .Add(DwAt.DW_AT_prototyped, AttributeValue.Flag(true, DwForm.DW_FORM_flag));
        main.AddChild(DwTag.DW_TAG_formal_parameter)
            .Add(DwAt.DW_AT_location, AttributeValue.Expression(FbregMinus8))
            .Add(DwAt.DW_AT_name, AttributeValue.String("argc"))
            .Add(DwAt.DW_AT_type, AttributeValue.Reference(intType));
        var blockRanges = unit.AddRangeList(new RangeList().Add(0x110, 0x120).Add(0x130, 0x140));
        var block = main.AddChild(DwTag.DW_TAG_lexical_block)
            .Add(DwAt.DW_AT_ranges, AttributeValue.RangeList(blockRanges));
        var xLocations = unit.AddLocationList(new LocationList()
            .Add(0x110, 0x118, Lit0Stack)
            .Add(0x118, 0x120, Lit1Stack)
            .Add(0x130, 0x140, FbregMinus8));
        block.AddChild(DwTag.DW_TAG_variable)
            .Add(DwAt.DW_AT_location, AttributeValue.LocationList(xLocations))
            .Add(DwAt.DW_AT_name, AttributeValue.String("x"))
            .Add(DwAt.DW_AT_type, AttributeValue.Reference(intType));
        block.AddChild(DwTag.DW_TAG_variable)
            .Add(DwAt.DW_AT_const_value, AttributeValue.Signed(-3))
            .Add(DwAt.DW_AT_name, AttributeValue.String("k"))
            .Add(DwAt.DW_AT_type, AttributeValue.Reference(intType));
        block.AddChild(DwTag.DW_TAG_variable)
            .Add(DwAt.DW_AT_const_value, AttributeValue.Signed(-2, DwForm.DW_FORM_data4))
            .Add(DwAt.DW_AT_name, AttributeValue.String("k2"))
            .Add(DwAt.DW_AT_type, AttributeValue.Reference(intType));
        block.AddChild(DwTag.DW_TAG_variable)
            .Add(DwAt.DW_AT_const_value, AttributeValue.Block(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }))
            .Add(DwAt.DW_AT_name, AttributeValue.String("blk"))
            .Add(DwAt.DW_AT_type, AttributeValue.Reference(longType));

        // A function placed below the unit's low_pc: its list entries need a base-address entry.
        var helper = root.AddChild(DwTag.DW_TAG_subprogram)
            .Add(DwAt.DW_AT_low_pc, AttributeValue.Address(0x200))
            .Add(DwAt.DW_AT_high_pc, AttributeValue.Address(0x260))
            .Add(DwAt.DW_AT_frame_base, AttributeValue.Expression(FrameBase, version >= 4 ? DwForm.DW_FORM_exprloc : DwForm.DW_FORM_block1))
            .Add(DwAt.DW_AT_name, AttributeValue.String("helper"))
            .Add(DwAt.DW_AT_decl_line, AttributeValue.Unsigned(40, DwForm.DW_FORM_data2))
            .Add(DwAt.DW_AT_declaration, AttributeValue.Flag(false))
            .Add((DwAt)0x3fe1, AttributeValue.Raw(DwForm.DW_FORM_data2, new byte[] { 0x34, 0x12 }))
            .Add(DwAt.DW_AT_description, AttributeValue.SectionOffset(0x1234));
        if (version >= 5)
        {
            helper.Add((DwAt)0x3fe2, AttributeValue.Data16(Enumerable.Range(0, 16).Select(i => (byte)(0xA0 + i)).ToArray()));
            helper.Add(DwAt.DW_AT_signature, AttributeValue.TypeSignature(0x0123456789ABCDEF));
        }

        var yLocations = unit.AddLocationList(new LocationList()
            .Add(0x200, 0x210, Lit0Stack)
            .Add(0x40, 0x50, Lit1Stack)
            .Add(0x220, 0x260, FbregMinus8));
        helper.AddChild(DwTag.DW_TAG_variable)
            .Add(DwAt.DW_AT_location, AttributeValue.LocationList(yLocations))
            .Add(DwAt.DW_AT_name, AttributeValue.String("y"))
            .Add(DwAt.DW_AT_type, AttributeValue.Reference(intType));

        // A second unit: no low_pc, references into the first unit.
        var other = output.AddUnit(version, 4, format);
        other.UseStringIndex = stringIndex;
        var otherRoot = other.Root
            .Add(DwAt.DW_AT_producer, AttributeValue.String("dwarfsmith writer test"))
            .Add(DwAt.DW_AT_name, AttributeValue.String("other.c"));
        otherRoot.AddChild(DwTag.DW_TAG_variable)
            .Add(DwAt.DW_AT_name, AttributeValue.String("global"))
            .Add(DwAt.DW_AT_type, AttributeValue.Reference(structType))
            .Add(DwAt.DW_AT_external, AttributeValue.Flag(true))
            .Add(DwAt.DW_AT_location, AttributeValue.Expression(new byte[] { 0x03, 0x00, 0x04, 0x00, 0x00 })); // DW_OP_addr 0x400
        otherRoot.AddChild(DwTag.DW_TAG_typedef)
            .Add(DwAt.DW_AT_name, AttributeValue.String("int_t"))
            .Add(DwAt.DW_AT_type, AttributeValue.Reference(intType.Id));
        var sameName = otherRoot.AddChild(DwTag.DW_TAG_base_type)
            .Add(DwAt.DW_AT_name, AttributeValue.String("int"))
            .Add(DwAt.DW_AT_encoding, AttributeValue.Unsigned((ulong)DwAte.DW_ATE_signed))
            .Add(DwAt.DW_AT_byte_size, AttributeValue.Unsigned(4));
        otherRoot.AddChild(DwTag.DW_TAG_typedef)
            .Add(DwAt.DW_AT_name, AttributeValue.String("int2_t"))
            .Add(DwAt.DW_AT_type, AttributeValue.Reference(sameName, DwForm.DW_FORM_ref_addr));
        return output;
    }

    public static LineProgram LineProgram(ushort version, DwarfFormat format, string file)
    {
        var program = new LineProgram(version, 4, format);
        if (version >= 5)
        {
            program.Directories.Add("/work/src");
            program.Files.Add(new LineFile(file, 0));
            program.Directories.Add("include");
            program.Files.Add(new LineFile("header.h", 1));
        }
        else
        {
            program.Directories.Add("include");
            program.Files.Add(new LineFile(file, 0));
            program.Files.Add(new LineFile("header.h", 1) { Timestamp = 12345, Size = 678 });
        }

        ulong firstFile = version >= 5 ? 0UL : 1UL;
        var main = program.AddSequence(0x180);
        main.Rows.Add(new LineRow(0x100, firstFile, 12, 0));
        main.Rows.Add(new LineRow(0x108, firstFile, 13, 5) { PrologueEnd = true });
        main.Rows.Add(new LineRow(0x110, firstFile + 1, 3, 1));
        main.Rows.Add(new LineRow(0x130, firstFile, 14, 7) { IsStmt = false, Discriminator = 2 });
        main.Rows.Add(new LineRow(0x170, firstFile, 15, 1) { EpilogueBegin = true });
        var helper = program.AddSequence(0x260);
        helper.Rows.Add(new LineRow(0x200, firstFile, 40, 0));
        helper.Rows.Add(new LineRow(0x220, firstFile, 41, 3) { BasicBlock = true });
        return program;
    }
}
