using Dwarfsmith.Wasm.Instructions;

namespace Dwarfsmith.Wasm.Validation;

/// <summary>
/// Receives, for every instruction of a function body, the operand types it consumed and
/// produced as established by validation. This is what a compiler needs to give each stack slot
/// a typed variable. <see cref="ValueType"/> 0 stands for an unknown type, which occurs only in
/// unreachable code (<paramref name="unreachable"/> is then true).
/// </summary>
public interface IOperandObserver
{
    /// <summary>A function body starts; <paramref name="localTypes"/> are parameters then declared locals.</summary>
    void BeginFunction(uint functionIndex, FunctionType type, ReadOnlySpan<ValueType> localTypes);

    /// <param name="instruction">The instruction; its offset is relative to the body's instructions.</param>
    /// <param name="heightBefore">Operand stack height before the instruction.</param>
    /// <param name="popped">Types popped, top of stack first.</param>
    /// <param name="pushed">Types pushed, in push order.</param>
    /// <param name="unreachable">True when the instruction is in unreachable code.</param>
    void OnInstruction(in Instruction instruction, int heightBefore, ReadOnlySpan<ValueType> popped, ReadOnlySpan<ValueType> pushed, bool unreachable);

    void EndFunction();
}
