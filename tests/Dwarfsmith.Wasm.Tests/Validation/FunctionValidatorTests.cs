using Dwarfsmith.Wasm.Instructions;
using Dwarfsmith.Wasm.Validation;
using Xunit;

namespace Dwarfsmith.Wasm.Tests.Validation;

public class FunctionValidatorTests
{
    private static readonly FunctionType VoidToVoid = new([], []);
    private static readonly FunctionType VoidToI32 = new([], [ValueType.I32]);
    private static readonly FunctionType I32ToI32 = new([ValueType.I32], [ValueType.I32]);

    private static ValidationContext Context(params FunctionType[] types) => new()
    {
        Features = WasmFeatures.All,
        Types = types,
        FunctionTypeIndices = [0, 1],
        Memories = [new MemoryType(new Limits(1, null))],
        Globals = [new GlobalType(ValueType.I32, Mutable: false), new GlobalType(ValueType.I64, Mutable: true)],
        ImportedGlobalCount = 1,
        Tables = [new TableType(ValueType.FuncRef, new Limits(1, null))],
        ElementTypes = [ValueType.FuncRef],
        DeclaredFunctionReferences = [1],
    };

    private static byte[] Code(Action<WasmWriter> build)
    {
        var writer = new WasmWriter();
        build(writer);
        return writer.ToArray();
    }

    private static void Emit(WasmWriter writer, params Instruction[] instructions)
    {
        foreach (var instruction in instructions)
            InstructionWriter.Write(writer, instruction);
    }

    private static Instruction Op(Opcode opcode) => Instruction.Create(opcode);

    private static void Validate(ValidationContext context, byte[] code, LocalDeclaration[]? locals = null)
    {
        var observer = default(NoObserver);
        new FunctionValidator(context).Validate(0, locals ?? [], code, 0x100, ref observer);
    }

    private static WasmFormatException Invalid(ValidationContext context, byte[] code, LocalDeclaration[]? locals = null) =>
        Assert.Throws<WasmFormatException>(() => Validate(context, code, locals));

    [Fact]
    public void Accepts_simple_arithmetic()
    {
        Validate(Context(VoidToI32, VoidToVoid), Code(w => Emit(w, Instruction.I32Const(1), Instruction.I32Const(2), Op(Opcode.I32Add), Op(Opcode.End))));
    }

    [Fact]
    public void Type_mismatch_names_the_instruction_offset()
    {
        var e = Invalid(Context(VoidToI32, VoidToVoid), Code(w => Emit(w, Instruction.I64Const(1), Instruction.I32Const(2), Op(Opcode.I32Add), Op(Opcode.End))));
        Assert.StartsWith("type mismatch", e.Reason);
        Assert.Equal(0x100 + 4, e.Offset);
        Assert.Equal("code section", e.Section);
    }

    [Fact]
    public void Unknown_indices()
    {
        var context = Context(VoidToVoid, VoidToVoid);
        Assert.Equal("unknown local 5", Invalid(context, Code(w => Emit(w, Instruction.WithIndex(Opcode.LocalGet, 5), Op(Opcode.Drop), Op(Opcode.End))),
            [new LocalDeclaration(5, ValueType.I32)]).Reason);
        Assert.Equal("unknown global 2", Invalid(context, Code(w => Emit(w, Instruction.WithIndex(Opcode.GlobalGet, 2), Op(Opcode.Drop), Op(Opcode.End)))).Reason);
        Assert.Equal("unknown function 7", Invalid(context, Code(w => Emit(w, Instruction.WithIndex(Opcode.Call, 7), Op(Opcode.End)))).Reason);
        Assert.Equal("unknown label 1", Invalid(context, Code(w => Emit(w, Instruction.WithIndex(Opcode.Br, 1), Op(Opcode.End)))).Reason);
        Assert.Equal("unknown table 3", Invalid(context, Code(w => Emit(w, Instruction.WithIndex(Opcode.TableSize, 3), Op(Opcode.Drop), Op(Opcode.End)))).Reason);
        Assert.Equal("unknown elem segment 4", Invalid(context, Code(w => Emit(w, Instruction.WithIndex(Opcode.ElemDrop, 4), Op(Opcode.End)))).Reason);
        Assert.Equal("unknown type 9", Invalid(context, Code(w => Emit(w, Instruction.WithBlockType(Opcode.Block, BlockType.OfTypeIndex(9)), Op(Opcode.End), Op(Opcode.End)))).Reason);
    }

    [Fact]
    public void Global_set_of_immutable_global()
    {
        var e = Invalid(Context(VoidToVoid, VoidToVoid), Code(w => Emit(w, Instruction.I32Const(1), Instruction.WithIndex(Opcode.GlobalSet, 0), Op(Opcode.End))));
        Assert.Equal("global is immutable", e.Reason);
    }

    [Fact]
    public void Alignment_and_lanes()
    {
        var context = Context(VoidToVoid, VoidToVoid);
        Assert.Equal("alignment must not be larger than natural", Invalid(context, Code(w => Emit(w,
            Instruction.I32Const(0), Instruction.WithMemArg(Opcode.I32Load, new MemArg(3, 0)), Op(Opcode.Drop), Op(Opcode.End)))).Reason);
        Validate(context, Code(w => Emit(w, Instruction.I32Const(0), Instruction.WithMemArg(Opcode.I32Load, new MemArg(2, 0)), Op(Opcode.Drop), Op(Opcode.End))));
        Assert.Equal("invalid lane index", Invalid(context, Code(w => Emit(w,
            Instruction.WithV128(Opcode.V128Const, 0), Instruction.WithLane(Opcode.I32x4ExtractLane, 4), Op(Opcode.Drop), Op(Opcode.End)))).Reason);
        Assert.Equal("invalid lane index", Invalid(context, Code(w => Emit(w,
            Instruction.WithV128(Opcode.V128Const, 0), Instruction.WithV128(Opcode.V128Const, 0), Instruction.WithV128(Opcode.I8x16Shuffle, (UInt128)32 << 120),
            Op(Opcode.Drop), Op(Opcode.End)))).Reason);
        Assert.Equal("unknown memory 1", Invalid(context, Code(w => Emit(w,
            Instruction.I32Const(0), Instruction.WithMemArg(Opcode.I32Load, new MemArg(2, 0, 1)), Op(Opcode.Drop), Op(Opcode.End)))).Reason);
    }

    [Fact]
    public void Unreachable_code_is_polymorphic()
    {
        var context = Context(VoidToI32, VoidToVoid);
        Validate(context, Code(w => Emit(w, Op(Opcode.Unreachable), Op(Opcode.I32Add), Op(Opcode.End))));
        Validate(context, Code(w => Emit(w, Op(Opcode.Unreachable), Op(Opcode.Select), Op(Opcode.End))));
        // An Unknown operand still has to fit the instruction's other operands.
        Assert.StartsWith("type mismatch", Invalid(context, Code(w => Emit(w, Op(Opcode.Unreachable), Instruction.I64Const(0), Op(Opcode.I32Add), Op(Opcode.End)))).Reason);
    }

    [Fact]
    public void Br_table_targets_must_agree_in_arity()
    {
        var context = Context(VoidToI32, VoidToVoid);
        var code = Code(w =>
        {
            Emit(w, Instruction.WithBlockType(Opcode.Block, BlockType.Of(ValueType.I32)), Instruction.I32Const(1), Instruction.I32Const(0));
            InstructionWriter.WriteBrTable(w, [0], 1);
            Emit(w, Op(Opcode.End), Op(Opcode.End));
        });
        Validate(context, code);
        var bad = Code(w =>
        {
            Emit(w, Instruction.WithBlockType(Opcode.Block, BlockType.Empty), Instruction.I32Const(1), Instruction.I32Const(0));
            InstructionWriter.WriteBrTable(w, [0], 1);
            Emit(w, Op(Opcode.End), Instruction.I32Const(0), Op(Opcode.End));
        });
        Assert.StartsWith("type mismatch", Invalid(context, bad).Reason);
    }

    [Fact]
    public void If_without_else_must_have_matching_types()
    {
        var context = Context(VoidToI32, VoidToVoid);
        var e = Invalid(context, Code(w => Emit(w, Instruction.I32Const(1), Instruction.WithBlockType(Opcode.If, BlockType.Of(ValueType.I32)),
            Instruction.I32Const(1), Op(Opcode.End), Op(Opcode.End))));
        Assert.StartsWith("type mismatch", e.Reason);
    }

    [Fact]
    public void Ref_func_must_be_declared()
    {
        var context = Context(VoidToVoid, VoidToVoid);
        Validate(context, Code(w => Emit(w, Instruction.WithIndex(Opcode.RefFunc, 1), Op(Opcode.Drop), Op(Opcode.End))));
        Assert.Equal("undeclared function reference 0", Invalid(context, Code(w => Emit(w, Instruction.WithIndex(Opcode.RefFunc, 0), Op(Opcode.Drop), Op(Opcode.End)))).Reason);
    }

    [Fact]
    public void Data_count_is_required_for_memory_init()
    {
        var context = Context(VoidToVoid, VoidToVoid);
        context.DataSegmentCount = 1;
        var code = Code(w => Emit(w, Instruction.I32Const(0), Instruction.I32Const(0), Instruction.I32Const(0), Instruction.WithIndices(Opcode.MemoryInit, 0, 0), Op(Opcode.End)));
        Assert.Equal("data count section required", Invalid(context, code).Reason);
        context.DataCount = 1;
        Validate(context, code);
    }

    [Fact]
    public void Missing_and_extra_end()
    {
        var context = Context(VoidToVoid, VoidToVoid);
        Assert.Equal("END opcode expected", Invalid(context, Code(w => Emit(w, Op(Opcode.Nop)))).Reason);
        Assert.Equal("operators remaining after end of function", Invalid(context, Code(w => Emit(w, Op(Opcode.End), Op(Opcode.Nop)))).Reason);
    }

    [Fact]
    public void Many_locals_use_runs()
    {
        var context = Context(VoidToI32, VoidToVoid);
        LocalDeclaration[] locals = [new(100_000, ValueType.I64), new(3, ValueType.I32), new(uint.MaxValue - 200_000, ValueType.F32)];
        Validate(context, Code(w => Emit(w, Instruction.WithIndex(Opcode.LocalGet, 100_001), Op(Opcode.End))), locals);
        Assert.StartsWith("type mismatch", Invalid(context, Code(w => Emit(w, Instruction.WithIndex(Opcode.LocalGet, 99_999), Op(Opcode.End))), locals).Reason);
        Assert.StartsWith("type mismatch", Invalid(context, Code(w => Emit(w, Instruction.WithIndex(Opcode.LocalGet, 100_003), Op(Opcode.End))), locals).Reason);
        Assert.Equal("too many locals", Invalid(context, Code(w => Emit(w, Op(Opcode.End))), [new(uint.MaxValue, ValueType.I32), new(1, ValueType.I32)]).Reason);
    }

    [Fact]
    public void Memory64_addresses_are_i64()
    {
        var context = Context(VoidToI32, VoidToVoid);
        context.Memories = [new MemoryType(new Limits(1, null, Is64: true))];
        Validate(context, Code(w => Emit(w, Instruction.I64Const(0), Instruction.WithMemArg(Opcode.I32Load, new MemArg(2, 0)), Op(Opcode.End))));
        Assert.StartsWith("type mismatch", Invalid(context, Code(w => Emit(w, Instruction.I32Const(0), Instruction.WithMemArg(Opcode.I32Load, new MemArg(2, 0)), Op(Opcode.End)))).Reason);
        Validate(context, Code(w => Emit(w, Op(Opcode.MemorySize), Op(Opcode.MemoryGrow), Op(Opcode.I32WrapI64), Op(Opcode.End))));
        Validate(context, Code(w => Emit(w, Instruction.I64Const(0), Instruction.I32Const(0), Instruction.I64Const(0), Op(Opcode.MemoryFill), Instruction.I32Const(0), Op(Opcode.End))));
        Assert.Equal("alignment must not be larger than natural", Invalid(context, Code(w => Emit(w,
            Instruction.I64Const(0), Instruction.WithMemArg(Opcode.I32Load, new MemArg(3, 0)), Op(Opcode.End)))).Reason);
    }

    [Fact]
    public void Extensions_are_rejected_under_WebAssembly_2()
    {
        var context = Context(I32ToI32, VoidToVoid);
        context.Features = WasmFeatures.Wasm2;
        context.TagTypeIndices = [1];
        Assert.Equal("return_call requires the TailCall feature", Invalid(context, Code(w => Emit(w,
            Instruction.WithIndex(Opcode.LocalGet, 0), Instruction.WithIndex(Opcode.ReturnCall, 0), Op(Opcode.End)))).Reason);
        Assert.Equal("throw requires the ExceptionHandling feature", Invalid(context, Code(w => Emit(w,
            Instruction.WithIndex(Opcode.Throw, 0), Op(Opcode.End)))).Reason);
        Assert.Equal("try requires the ExceptionHandling feature", Invalid(context, Code(w => Emit(w,
            Instruction.WithBlockType(Opcode.Try, BlockType.Empty), Op(Opcode.End), Instruction.I32Const(0), Op(Opcode.End)))).Reason);
        Assert.Equal("atomic.fence requires the Threads feature", Invalid(context, Code(w => Emit(w,
            Op(Opcode.AtomicFence), Instruction.I32Const(0), Op(Opcode.End)))).Reason);
        Assert.Equal("i8x16.relaxed_swizzle requires the RelaxedSimd feature", Invalid(context, Code(w => Emit(w,
            Instruction.WithV128(Opcode.V128Const, 0), Instruction.WithV128(Opcode.V128Const, 0), Op(Opcode.I8x16RelaxedSwizzle), Op(Opcode.Drop),
            Instruction.I32Const(0), Op(Opcode.End)))).Reason);
        context.Features = WasmFeatures.All;
        Validate(context, Code(w => Emit(w, Instruction.WithIndex(Opcode.LocalGet, 0), Instruction.WithIndex(Opcode.ReturnCall, 0), Op(Opcode.End))));
    }

    [Fact]
    public void Table64_indices_are_i64()
    {
        var context = Context(VoidToI32, VoidToVoid);
        context.Tables = [new TableType(ValueType.FuncRef, new Limits(1, null, Is64: true))];
        Validate(context, Code(w => Emit(w, Instruction.I64Const(0), Instruction.WithIndex(Opcode.TableGet, 0), Op(Opcode.RefIsNull), Op(Opcode.End))));
        Assert.StartsWith("type mismatch", Invalid(context, Code(w => Emit(w, Instruction.WithIndex(Opcode.TableSize, 0), Op(Opcode.End)))).Reason);
    }

    [Fact]
    public void Typed_select_needs_one_type()
    {
        var context = Context(VoidToI32, VoidToVoid);
        var code = Code(w =>
        {
            Emit(w, Instruction.I32Const(1), Instruction.I32Const(2), Instruction.I32Const(0));
            InstructionWriter.WriteSelectTyped(w, [ValueType.I32, ValueType.I32]);
            Emit(w, Op(Opcode.End));
        });
        Assert.Equal("invalid result arity", Invalid(context, code).Reason);
    }

    private struct Recorder : IValidationObserver
    {
        public List<string> Lines;

        public readonly void OnInstruction(in Instruction instruction, in OperandEffect effect)
        {
            Lines.Add($"{instruction.Opcode.Mnemonic()} h={effect.HeightBefore} pop=[{string.Join(",", effect.Popped.ToArray().Select(Name))}] " +
                $"push=[{string.Join(",", effect.Pushed.ToArray().Select(Name))}]{(effect.Unreachable ? " unreachable" : "")}");
        }

        private static string Name(ValueType t) => t == OperandTypes.Unknown ? "?" : t.Name();
    }

    [Fact]
    public void Observer_sees_operand_types()
    {
        var context = Context(I32ToI32, VoidToVoid);
        var code = Code(w => Emit(w,
            Instruction.WithIndex(Opcode.LocalGet, 0), Instruction.I32Const(2), Op(Opcode.I32Add),
            Instruction.WithBlockType(Opcode.Block, BlockType.Of(ValueType.F64)), Op(Opcode.Unreachable), Op(Opcode.F64Neg), Op(Opcode.End),
            Op(Opcode.Drop), Op(Opcode.End)));
        var recorder = new Recorder { Lines = [] };
        new FunctionValidator(context).Validate(0, [], code, 0, ref recorder);
        Assert.Equal(
        [
            "local.get h=0 pop=[] push=[i32]",
            "i32.const h=1 pop=[] push=[i32]",
            "i32.add h=2 pop=[i32,i32] push=[i32]",
            "block h=1 pop=[] push=[]",
            "unreachable h=1 pop=[] push=[]",
            "f64.neg h=1 pop=[?] push=[f64] unreachable",
            "end h=2 pop=[f64] push=[f64] unreachable",
            "drop h=2 pop=[f64] push=[]",
            "end h=1 pop=[i32] push=[i32]",
        ], recorder.Lines);
    }
}
