using Dwarfsmith.Wasm.Instructions;
using Xunit;

namespace Dwarfsmith.Wasm.Tests.Instructions;

public class OpcodeTableTests
{
    [Fact]
    public void Every_enum_value_has_exactly_one_row()
    {
        var values = Enum.GetValues<Opcode>();
        Assert.Equal(values.Length, OpcodeTable.All.Count);
        foreach (var opcode in values)
        {
            Assert.True(OpcodeTable.TryGet(opcode, out var info), opcode.ToString());
            Assert.Equal(opcode, info.Opcode);
        }
    }

    [Fact]
    public void Mnemonics_are_unique_except_typed_select()
    {
        var duplicates = OpcodeTable.All.GroupBy(i => i.Mnemonic).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.Equal(["select"], duplicates);
    }

    [Fact]
    public void Memory_accesses_have_alignment_and_signatures()
    {
        foreach (var info in OpcodeTable.All)
        {
            var isMemArg = info.Immediate is ImmediateKind.MemArg or ImmediateKind.MemArgLane;
            Assert.Equal(isMemArg, info.IsMemoryAccess);
            if (isMemArg)
                Assert.NotNull(info.Pops);
            Assert.Equal(info.Pops is null, info.Pushes is null);
            if (info.Immediate is ImmediateKind.Lane or ImmediateKind.MemArgLane)
                Assert.True(info.LaneCount is 2 or 4 or 8 or 16);
        }
    }

    [Fact]
    public void Simd_table_has_all_236_final_opcodes()
    {
        Assert.Equal(236, OpcodeTable.All.Count(i => i.Feature == Feature.Simd));
        Assert.Equal(20, OpcodeTable.All.Count(i => i.Feature == Feature.RelaxedSimd));
    }

    [Fact]
    public void Prefixed_values_follow_the_convention()
    {
        Assert.Equal(0xFD000C, (int)Opcode.V128Const);
        Assert.Equal(0xFC0008, (int)Opcode.MemoryInit);
        Assert.Equal(0xFE0003, (int)Opcode.AtomicFence);
        Assert.Equal("v128.load8_lane", Opcode.V128Load8Lane.Mnemonic());
        Assert.Equal("i32.trunc_sat_f64_u", Opcode.I32TruncSatF64U.Mnemonic());
    }
}
