using Dwarfsmith.Wasm.Instructions;
using Xunit;

namespace Dwarfsmith.Wasm.Tests.Instructions;

/// <summary>Encode → decode → encode for every opcode in the table, immediates generated from its kind.</summary>
public class RoundTripTests
{
    public static TheoryData<int> AllOpcodes()
    {
        var data = new TheoryData<int>();
        foreach (var info in OpcodeTable.All)
            data.Add((int)info.Opcode);
        return data;
    }

    /// <summary>Encodings of one opcode with generated immediates; expected is null for lazily stored vectors.</summary>
    private static IEnumerable<(byte[] Bytes, Instruction? Expected)> Samples(OpcodeInfo info)
    {
        var op = info.Opcode;
        WasmWriter W() => new();
        byte[] Encode(Instruction i)
        {
            var w = W();
            InstructionWriter.Write(w, i);
            return w.ToArray();
        }
        switch (info.Immediate)
        {
            case ImmediateKind.None:
                yield return (Encode(Instruction.Create(op)), Instruction.Create(op));
                break;
            case ImmediateKind.LabelIndex or ImmediateKind.FunctionIndex or ImmediateKind.LocalIndex or ImmediateKind.GlobalIndex
                or ImmediateKind.TableIndex or ImmediateKind.TagIndex or ImmediateKind.DataIndex or ImmediateKind.ElementIndex:
                foreach (var index in new uint[] { 0, 5, 300, uint.MaxValue })
                    yield return (Encode(Instruction.WithIndex(op, index)), Instruction.WithIndex(op, index));
                break;
            case ImmediateKind.CallIndirect or ImmediateKind.TableInit or ImmediateKind.TableCopy:
                yield return (Encode(Instruction.WithIndices(op, 200, 1)), Instruction.WithIndices(op, 200, 1));
                yield return (Encode(Instruction.WithIndices(op, 0, 70000)), Instruction.WithIndices(op, 0, 70000));
                break;
            case ImmediateKind.MemoryIndex or ImmediateKind.MemoryFill or ImmediateKind.MemoryCopy or ImmediateKind.AtomicFence:
                yield return (Encode(Instruction.Create(op)), Instruction.Create(op));
                break;
            case ImmediateKind.MemoryInit:
                yield return (Encode(Instruction.WithIndices(op, 9, 0)), Instruction.WithIndices(op, 9, 0));
                break;
            case ImmediateKind.BlockType:
                foreach (var bt in new[] { BlockType.Empty, BlockType.Of(ValueType.I64), BlockType.Of(ValueType.V128), BlockType.OfTypeIndex(3), BlockType.OfTypeIndex(100000) })
                    yield return (Encode(Instruction.WithBlockType(op, bt)), Instruction.WithBlockType(op, bt));
                break;
            case ImmediateKind.MemArg:
                foreach (var m in new[] { new MemArg((uint)info.NaturalAlignmentLog2, 0), new MemArg(0, 70000), new MemArg((uint)info.NaturalAlignmentLog2, uint.MaxValue, 1) })
                    yield return (Encode(Instruction.WithMemArg(op, m)), Instruction.WithMemArg(op, m));
                break;
            case ImmediateKind.MemArgLane:
                {
                    var m = new MemArg((uint)info.NaturalAlignmentLog2, 17);
                    var lane = (byte)(info.LaneCount - 1);
                    yield return (Encode(Instruction.WithMemArg(op, m, lane)), Instruction.WithMemArg(op, m, lane));
                    break;
                }
            case ImmediateKind.Lane:
                yield return (Encode(Instruction.WithLane(op, (byte)(info.LaneCount - 1))), Instruction.WithLane(op, (byte)(info.LaneCount - 1)));
                break;
            case ImmediateKind.I32:
                foreach (var v in new[] { 0, -1, 63, 64, -65, int.MinValue, int.MaxValue })
                    yield return (Encode(Instruction.I32Const(v)), Instruction.I32Const(v));
                break;
            case ImmediateKind.I64:
                foreach (var v in new[] { 0L, -1L, long.MinValue, long.MaxValue, 1L << 40 })
                    yield return (Encode(Instruction.I64Const(v)), Instruction.I64Const(v));
                break;
            case ImmediateKind.F32:
                foreach (var bits in new uint[] { 0, 0x7FC00001, 0x80000000, 0x3F800000 })
                    yield return (Encode(Instruction.F32Const(bits)), Instruction.F32Const(bits));
                break;
            case ImmediateKind.F64:
                foreach (var bits in new ulong[] { 0, 0x7FF0000000000001, 0x8000000000000000 })
                    yield return (Encode(Instruction.F64Const(bits)), Instruction.F64Const(bits));
                break;
            case ImmediateKind.V128 or ImmediateKind.Shuffle:
                {
                    var value = new UInt128(0x0F0E0D0C0B0A0908, 0x0706050403020100);
                    yield return (Encode(Instruction.WithV128(op, value)), Instruction.WithV128(op, value));
                    break;
                }
            case ImmediateKind.RefType:
                yield return (Encode(Instruction.RefNull(ValueType.FuncRef)), Instruction.RefNull(ValueType.FuncRef));
                yield return (Encode(Instruction.RefNull(ValueType.ExternRef)), Instruction.RefNull(ValueType.ExternRef));
                break;
            case ImmediateKind.BrTable:
                {
                    var w = W();
                    InstructionWriter.WriteBrTable(w, [1, 200, 3, 0], 4);
                    yield return (w.ToArray(), null);
                    w = W();
                    InstructionWriter.WriteBrTable(w, [], 70000);
                    yield return (w.ToArray(), null);
                    break;
                }
            case ImmediateKind.SelectTypes:
                {
                    var w = W();
                    InstructionWriter.WriteSelectTyped(w, [ValueType.F64]);
                    yield return (w.ToArray(), null);
                    w = W();
                    InstructionWriter.WriteSelectTyped(w, [ValueType.I32, ValueType.ExternRef]);
                    yield return (w.ToArray(), null);
                    break;
                }
            case ImmediateKind.TryTable:
                {
                    var w = W();
                    InstructionWriter.WriteTryTable(w, BlockType.OfTypeIndex(2),
                        [new(CatchKind.Catch, 1, 0), new(CatchKind.CatchRef, 300, 2), new(CatchKind.CatchAll, 0, 3), new(CatchKind.CatchAllRef, 0, 400)]);
                    yield return (w.ToArray(), null);
                    break;
                }
            default:
                throw new InvalidOperationException(info.Immediate.ToString());
        }
    }

    [Theory]
    [MemberData(nameof(AllOpcodes))]
    public void Encode_decode_encode(int opcodeValue)
    {
        var info = OpcodeTable.Get((Opcode)opcodeValue);
        var samples = Samples(info).ToList();
        Assert.NotEmpty(samples);
        foreach (var (bytes, expected) in samples)
        {
            var reader = new InstructionReader(bytes, 0x100);
            Assert.True(reader.TryRead(out var decoded));
            Assert.Equal(info.Opcode, decoded.Opcode);
            Assert.Equal(0, decoded.Offset);
            Assert.Equal(bytes.Length, decoded.Length);
            Assert.False(reader.TryRead(out _));
            if (expected is { } e)
                Assert.Equal(e, decoded);
            var writer = new WasmWriter();
            InstructionWriter.Write(writer, decoded, bytes);
            Assert.Equal(bytes, writer.ToArray());

            // Every truncation of the encoding is malformed ("unexpected end"), never a silent success.
            for (var cut = 1; cut < bytes.Length; cut++)
            {
                var ex = Assert.Throws<WasmFormatException>(() =>
                {
                    var r = new InstructionReader(bytes.AsSpan(0, cut), 0x100);
                    r.TryRead(out _);
                });
                Assert.Equal("code section", ex.Section);
            }
        }
    }

    [Fact]
    public void Lazy_vectors_enumerate()
    {
        var w = new WasmWriter();
        InstructionWriter.WriteOpcode(w, Opcode.Nop);
        InstructionWriter.WriteBrTable(w, [1, 200, 3], 4);
        InstructionWriter.WriteTryTable(w, BlockType.Empty, [new(CatchKind.CatchRef, 7, 1), new(CatchKind.CatchAll, 0, 2)]);
        InstructionWriter.WriteSelectTyped(w, [ValueType.V128]);
        var code = w.ToArray();
        var reader = new InstructionReader(code, 0);
        Assert.True(reader.TryRead(out _));
        Assert.True(reader.TryRead(out var brTable));
        Assert.Equal(1, brTable.Offset);
        var labels = new List<uint>();
        foreach (var l in brTable.GetBrTableTargets(code))
            labels.Add(l);
        Assert.Equal([1u, 200u, 3u], labels);
        Assert.Equal(4u, brTable.BrTableDefault);
        Assert.True(reader.TryRead(out var tryTable));
        var catches = new List<CatchClause>();
        foreach (var c in tryTable.GetCatches(code))
            catches.Add(c);
        Assert.Equal([new CatchClause(CatchKind.CatchRef, 7, 1), new CatchClause(CatchKind.CatchAll, 0, 2)], catches);
        Assert.True(reader.TryRead(out var select));
        Assert.Equal(1, select.SelectTypeCount);
        Assert.Equal(ValueType.V128, select.SelectType);
    }

    [Fact]
    public void Padded_main_immediate()
    {
        var w = new WasmWriter();
        InstructionWriter.Write(w, Instruction.WithIndex(Opcode.Call, 3), mainWidth: 5);
        InstructionWriter.Write(w, Instruction.I32Const(-2), mainWidth: 5);
        InstructionWriter.Write(w, Instruction.WithMemArg(Opcode.I32Load, new MemArg(2, 8)), mainWidth: 5);
        Assert.Equal(new byte[] { 0x10, 0x83, 0x80, 0x80, 0x80, 0x00, 0x41, 0xFE, 0xFF, 0xFF, 0xFF, 0x7F, 0x28, 0x02, 0x88, 0x80, 0x80, 0x80, 0x00 }, w.ToArray());
        var reader = new InstructionReader(w.WrittenSpan, 0);
        Assert.True(reader.TryRead(out var call));
        Assert.Equal(6, call.Length);
        Assert.Equal(3u, call.FunctionIndex);
        Assert.True(reader.TryRead(out var c));
        Assert.Equal(-2, c.I32Value);
        Assert.True(reader.TryRead(out var load));
        Assert.Equal(new MemArg(2, 8), load.MemArg);
    }
}
