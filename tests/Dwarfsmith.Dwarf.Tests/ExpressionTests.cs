using System.Buffers;
using Dwarfsmith.Dwarf.Expressions;
using Dwarfsmith.Dwarf.Reading;
using Dwarfsmith.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace Dwarfsmith.Dwarf.Tests;

public class ExpressionTests(ITestOutputHelper output)
{
    private static readonly UnitEncoding Wasm32 = new(5, 4, 4);
    private static readonly UnitEncoding X64 = new(4, 8, 4);

    [Fact]
    public void Every_expression_of_the_corpus_and_sqlite_re_encodes_byte_for_byte()
    {
        var failures = new List<string>();
        var total = 0;
        var paths = DwarfInputs.Variants().Select(v => DwarfInputs.Build((string)v[0], (Producer)v[1], (OptLevel)v[2], (int)v[3]))
            .Append(Corpus.Sqlite(OptLevel.O1, 4).Path).Append(Corpus.Sqlite(OptLevel.O1, 5).Path);
        foreach (var path in paths)
        {
            var counts = DwarfWalker.ReadEverything(new DwarfContext(DwarfInputs.Load(path)), f => failures.Add($"{path}: {f}"));
            total += counts.Expressions;
        }

        output.WriteLine($"{total} expressions re-encoded");
        Assert.True(total > 50_000, $"only {total} expressions");
        Assert.Empty(failures.Take(20));
    }

    [Theory]
    [InlineData((DwOp)0x35, "DW_OP_lit5")]
    [InlineData(DwOp.DW_OP_lit0, "DW_OP_lit0")]
    [InlineData((DwOp)0x53, "DW_OP_reg3")]
    [InlineData((DwOp)0x77, "DW_OP_breg7")]
    [InlineData(DwOp.DW_OP_breg31, "DW_OP_breg31")]
    [InlineData(DwOp.DW_OP_WASM_location, "DW_OP_WASM_location")]
    [InlineData(DwOp.DW_OP_GNU_entry_value, "DW_OP_GNU_entry_value")]
    [InlineData((DwOp)0x01, "DW_OP_0x01")]
    public void Names_follow_the_standard(DwOp op, string name) => Assert.Equal(name, DwarfExpression.Name(op));

    public static TheoryData<string, string> Samples => new()
    {
        // DW_OP_WASM_location: kinds 0-2 take a ULEB, kind 3 a fixed u32.
        { "ED00059F", "DW_OP_WASM_location 0x0 0x5, DW_OP_stack_value" },
        { "ED0101", "DW_OP_WASM_location 0x1 0x1" },
        { "ED0280009F", "DW_OP_WASM_location 0x2 0x0, DW_OP_stack_value" },
        { "ED03000000009F", "DW_OP_WASM_location 0x3 0x0, DW_OP_stack_value" },
        { "0310203040", "DW_OP_addr 0x40302010" },
        { "08FF09FF0A34120BFEFF", "DW_OP_const1u 0xff, DW_OP_const1s -1, DW_OP_const2u 0x1234, DW_OP_const2s -2" },
        { "0C785634120DFFFFFFFF", "DW_OP_const4u 0x12345678, DW_OP_const4s -1" },
        { "0E01000000000000800FFFFFFFFFFFFFFFFF", "DW_OP_const8u 0x8000000000000001, DW_OP_const8s -1" },
        { "10E58E2611807F", "DW_OP_constu 0x98765, DW_OP_consts -128" },
        { "9174", "DW_OP_fbreg -12" },
        { "770892034C", "DW_OP_breg7 +8, DW_OP_bregx 0x3 -52" },
        { "9004930493209F", "DW_OP_regx 0x4, DW_OP_piece 0x4, DW_OP_piece 0x20, DW_OP_stack_value" },
        { "9D2008", "DW_OP_bit_piece 0x20 0x8" },
        { "9E0401020304", "DW_OP_implicit_value 0x4 0x01 0x02 0x03 0x04" },
        { "A30155", "DW_OP_entry_value(DW_OP_reg5)" },
        { "F30155", "DW_OP_GNU_entry_value(DW_OP_reg5)" },
        { "2F0300280000", "DW_OP_skip +3, DW_OP_bra +0" },
        { "A100A201", "DW_OP_addrx 0x0, DW_OP_constx 0x1" },
        { "9404961897", "DW_OP_deref_size 0x4, DW_OP_nop, DW_OP_xderef, DW_OP_push_object_address" },
        { "98341299785634129C9F", "DW_OP_call2 0x1234, DW_OP_call4 0x12345678, DW_OP_call_frame_cfa, DW_OP_stack_value" },
        { "9A10000000", "DW_OP_call_ref 0x10" },
        { "A01000000074", "DW_OP_implicit_pointer 0x10 -12" },
        { "A4300400002040", "DW_OP_const_type 0x30 0x4 0x00 0x00 0x20 0x40" },
        { "A51130A60430A830A930", "DW_OP_regval_type 0x11 0x30, DW_OP_deref_type 0x4 0x30, DW_OP_convert 0x30, DW_OP_reinterpret 0x30" },
        { "FA78563412E0F0", "DW_OP_GNU_parameter_ref 0x12345678, DW_OP_GNU_push_tls_address, DW_OP_GNU_uninit" },
        { "FB02FC03", "DW_OP_GNU_addr_index 0x2, DW_OP_GNU_const_index 0x3" },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Every_operation_decodes_prints_and_re_encodes(string hex, string printed)
    {
        var bytes = Convert.FromHexString(hex);
        Assert.Equal(printed, DwarfExpression.Format(bytes, Wasm32));
        var ops = DwarfExpression.DecodeAll(bytes, Wasm32);
        Assert.Equal(bytes, DwarfExpression.Encode(ops, Wasm32));
    }

    [Fact]
    public void Padded_LEB_operands_re_encode_with_their_width()
    {
        // DW_OP_addrx with a 5-byte ULEB (as a relocation would leave it), DW_OP_fbreg with a padded SLEB.
        var bytes = Convert.FromHexString("A18180808000" + "91FC7F" + "91FCFF7F");
        var ops = DwarfExpression.DecodeAll(bytes, Wasm32);
        Assert.Equal(1UL, ops[0].Operand1);
        Assert.Equal(-4, ops[1].SignedOperand1);
        Assert.Equal(-4, ops[2].SignedOperand1);
        Assert.Equal(bytes, DwarfExpression.Encode(ops, Wasm32));
    }

    [Fact]
    public void Operations_know_their_offsets_and_branch_targets()
    {
        var bytes = Convert.FromHexString("30" + "2F0100" + "96" + "31");
        var ops = DwarfExpression.DecodeAll(bytes, X64);
        Assert.Equal([0, 1, 4, 5], ops.Select(o => o.Offset));
        Assert.Equal(5, ops[1].BranchTarget);
    }

    [Theory]
    [InlineData("01", 0)]
    [InlineData("ED07", 1)]
    [InlineData("ED0580", 1)]
    [InlineData("0C0102", 1)]
    [InlineData("9E05010203", 2)]
    [InlineData("10FFFFFFFFFFFFFFFFFF7F", 1)]
    public void Bad_expressions_raise_DwarfFormatException_with_an_offset(string hex, int offset)
    {
        var e = Assert.Throws<DwarfFormatException>(() => DwarfExpression.DecodeAll(Convert.FromHexString(hex), Wasm32, ".debug_info", 0x100));
        Assert.Equal(".debug_info", e.Section);
        Assert.Equal(0x100 + offset, e.Offset);
    }

    [Fact]
    public void Encoding_into_a_buffer_appends()
    {
        var writer = new ArrayBufferWriter<byte>();
        var ops = DwarfExpression.DecodeAll(Convert.FromHexString("ED03000000009F"), Wasm32);
        foreach (var op in ops)
            DwarfExpression.Encode(op, Wasm32, writer);
        Assert.Equal("ED03000000009F", Convert.ToHexString(writer.WrittenSpan));
        Assert.Equal(OperandLayout.WasmLocation, ops[0].Layout);
    }
}
