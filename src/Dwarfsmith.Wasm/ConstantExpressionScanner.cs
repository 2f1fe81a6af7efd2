using Dwarfsmith.Wasm.Instructions;

namespace Dwarfsmith.Wasm;

/// <summary>
/// Finds the end of a constant expression by decoding its instructions. Any decodable instruction
/// is accepted here: whether it is constant is the validator's question ("constant expression
/// required" is a validation error, not a malformed module).
/// </summary>
internal static class ConstantExpressionScanner
{
    public static void SkipToEnd(ref WasmReader reader)
    {
        var instructions = new InstructionReader(reader.Data[reader.Position..], reader.AbsoluteOffset, reader.Section);
        var depth = 0;
        while (instructions.TryRead(out var instruction))
        {
            switch (instruction.Opcode)
            {
                case Opcode.Block or Opcode.Loop or Opcode.If or Opcode.Try or Opcode.TryTable:
                    depth++;
                    break;
                case Opcode.End when depth == 0:
                    reader.Position += instructions.Position;
                    return;
                case Opcode.End:
                    depth--;
                    break;
            }
        }
        throw reader.ErrorAt(reader.Length, "unexpected end of constant expression");
    }
}
