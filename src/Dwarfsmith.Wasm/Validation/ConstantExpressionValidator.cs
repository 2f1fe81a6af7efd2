using Dwarfsmith.Wasm.Instructions;

namespace Dwarfsmith.Wasm.Validation;

/// <summary>
/// Validates initializer expressions (global initializers, element and data offsets, element items):
/// only constant instructions, and exactly one result of the expected type. In WebAssembly 2.0
/// <c>global.get</c> may only name an immutable imported global; with <see cref="WasmFeatures.ExtendedConst"/>
/// i32/i64 add, sub and mul are constant too and earlier immutable module globals are visible.
/// </summary>
public static class ConstantExpressionValidator
{
    public static void Validate(ValidationContext context, ConstantExpression expression, ValueType expected, string section, int visibleGlobals) =>
        Validate(context, expression.Bytes.Span, expression.FileOffset, expected, section, visibleGlobals);

    /// <param name="visibleGlobals">How many globals (from index 0) the expression may read.</param>
    public static void Validate(ValidationContext context, ReadOnlySpan<byte> bytes, long fileOffset, ValueType expected, string section, int visibleGlobals)
    {
        Span<ValueType> stack = stackalloc ValueType[8];
        var height = 0;
        var extended = context.Has(WasmFeatures.ExtendedConst);
        var reader = new InstructionReader(bytes, fileOffset, section);
        while (reader.TryRead(out var instruction))
        {
            var at = fileOffset + instruction.Offset;
            WasmFormatException Error(string reason) => new(reason, section, at);
            ValueType pushed;
            switch (instruction.Opcode)
            {
                case Opcode.I32Const:
                    pushed = ValueType.I32;
                    break;
                case Opcode.I64Const:
                    pushed = ValueType.I64;
                    break;
                case Opcode.F32Const:
                    pushed = ValueType.F32;
                    break;
                case Opcode.F64Const:
                    pushed = ValueType.F64;
                    break;
                case Opcode.V128Const:
                    pushed = ValueType.V128;
                    break;
                case Opcode.RefNull:
                    pushed = instruction.RefType;
                    break;
                case Opcode.RefFunc:
                    if (context.FunctionTypeOf(instruction.FunctionIndex) is null)
                        throw Error($"unknown function {instruction.FunctionIndex}");
                    pushed = ValueType.FuncRef;
                    break;
                case Opcode.GlobalGet:
                    {
                        var index = instruction.GlobalIndex;
                        if (index >= (uint)visibleGlobals || index >= (uint)context.Globals.Length)
                            throw Error($"unknown global {index}");
                        var global = context.Globals[index];
                        if (global.Mutable)
                            throw Error("constant expression required");
                        pushed = global.ValueType;
                        break;
                    }
                case Opcode.I32Add or Opcode.I32Sub or Opcode.I32Mul or Opcode.I64Add or Opcode.I64Sub or Opcode.I64Mul when extended:
                    {
                        var type = instruction.Opcode is Opcode.I32Add or Opcode.I32Sub or Opcode.I32Mul ? ValueType.I32 : ValueType.I64;
                        if (height < 2 || stack[height - 1] != type || stack[height - 2] != type)
                            throw Error("type mismatch");
                        height -= 2;
                        pushed = type;
                        break;
                    }
                case Opcode.End:
                    if (reader.Position != bytes.Length)
                        throw Error("constant expression required");
                    if (height != 1 || stack[0] != expected)
                        throw Error(height == 0 ? $"type mismatch: expected {expected.Name()}, found nothing"
                            : $"type mismatch: expected {expected.Name()}, found {stack[height - 1].Name()}{(height > 1 ? $" and {height - 1} more" : "")}");
                    return;
                default:
                    throw Error("constant expression required");
            }
            if (height == stack.Length)
                throw Error("constant expression too deep");
            stack[height++] = pushed;
        }
        throw reader.ErrorAt(bytes.Length, "unexpected end of constant expression");
    }
}
