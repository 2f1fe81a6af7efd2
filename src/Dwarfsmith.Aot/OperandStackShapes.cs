using Dwarfsmith.Wasm;
using Dwarfsmith.Wasm.Instructions;
using Dwarfsmith.Wasm.Validation;
using ValueType = Dwarfsmith.Wasm.ValueType;

namespace Dwarfsmith.Aot;

/// <summary>
/// The operand stack at an instruction where a wasm frame can stand in a core dump: a call (the frame
/// of every caller) or an instruction that can trap (the youngest frame). <see cref="Types"/> is the
/// whole stack before the instruction, bottom first; slot <c>h</c> of type <c>t</c> is the translated
/// C's variable <c>s&lt;h&gt;_&lt;t&gt;</c> (<see cref="CNames.StackSlot"/>).
/// </summary>
/// <param name="CodeOffset">The instruction's DWARF code offset.</param>
/// <param name="HeightAtCall">For a call, the height once its operands are popped (what the caller keeps while the callee runs); else the whole height.</param>
internal readonly record struct OperandStackPoint(uint CodeOffset, ValueType[] Types, int HeightAtCall);

/// <summary>Reads each function's <see cref="OperandStackPoint"/>s from the validator's operand types.</summary>
internal static class OperandStackShapes
{
    public static Dictionary<uint, List<OperandStackPoint>> Read(WasmModule module)
    {
        var validation = ValidationContext.FromModule(module);
        ModuleValidator.ValidateDeclarations(module, validation);
        var validator = new FunctionValidator(validation);
        var byFunction = new Dictionary<uint, List<OperandStackPoint>>();
        foreach (var body in module.Bodies)
        {
            var observer = new Observer(body.InstructionsCodeOffset);
            validator.Validate(body, ref observer);
            byFunction[body.FunctionIndex] = observer.Points;
        }

        return byFunction;
    }

    /// <summary>A call, or an instruction that can trap: where a frame of a core dump can be.</summary>
    internal static bool IsFramePoint(in Instruction instruction) => instruction.Opcode switch
    {
        Opcode.Call or Opcode.CallIndirect or Opcode.ReturnCall or Opcode.ReturnCallIndirect or Opcode.Unreachable => true,
        >= Opcode.I32DivS and <= Opcode.I32RemU => true,
        >= Opcode.I64DivS and <= Opcode.I64RemU => true,
        >= Opcode.I32TruncF32S and <= Opcode.I32TruncF64U => true,
        >= Opcode.I64TruncF32S and <= Opcode.I64TruncF64U => true,
        Opcode.TableGet or Opcode.TableSet or Opcode.TableInit or Opcode.TableCopy or Opcode.TableFill => true,
        Opcode.MemoryInit or Opcode.MemoryCopy or Opcode.MemoryFill => true,
        _ => instruction.Info.IsMemoryAccess,
    };

    private sealed class Observer(uint instructionsCodeOffset) : IValidationObserver
    {
        private readonly List<ValueType> _stack = [];

        public List<OperandStackPoint> Points { get; } = [];

        public void OnInstruction(in Instruction instruction, in OperandEffect effect)
        {
            // The validator's height is the truth; in unreachable code the stack is polymorphic and its
            // types unknown, and no frame can stand there.
            while (_stack.Count > effect.HeightBefore)
                _stack.RemoveAt(_stack.Count - 1);
            while (_stack.Count < effect.HeightBefore)
                _stack.Add(OperandTypes.Unknown);
            if (!effect.Unreachable && IsFramePoint(instruction))
            {
                bool call = instruction.Opcode is Opcode.Call or Opcode.CallIndirect or Opcode.ReturnCall or Opcode.ReturnCallIndirect;
                Points.Add(new OperandStackPoint(instructionsCodeOffset + (uint)instruction.Offset, [.. _stack],
                    call ? effect.HeightBefore - effect.Popped.Length : effect.HeightBefore));
            }

            int popped = Math.Min(effect.Popped.Length, _stack.Count);
            _stack.RemoveRange(_stack.Count - popped, popped);
            foreach (var type in effect.Pushed)
                _stack.Add(type);
        }
    }
}
