using Dwarfsmith.Wasm.Instructions;

namespace Dwarfsmith.Wasm.Validation;

/// <summary>Operand types as validation established them for one instruction.</summary>
public readonly ref struct OperandEffect
{
    internal OperandEffect(int heightBefore, ReadOnlySpan<ValueType> popped, ReadOnlySpan<ValueType> pushed, bool unreachable, int controlDepth)
    {
        HeightBefore = heightBefore;
        Popped = popped;
        Pushed = pushed;
        Unreachable = unreachable;
        ControlDepth = controlDepth;
    }

    /// <summary>Operand stack height before the instruction (counting all frames of the function).</summary>
    public int HeightBefore { get; }

    /// <summary>Types popped, in pop order (top of stack first). <see cref="OperandTypes.Unknown"/> only in unreachable code.</summary>
    public ReadOnlySpan<ValueType> Popped { get; }

    /// <summary>Types pushed, in push order.</summary>
    public ReadOnlySpan<ValueType> Pushed { get; }

    /// <summary>True when the instruction is in unreachable code (after br, return, unreachable… in its block).</summary>
    public bool Unreachable { get; }

    /// <summary>Number of open control frames before the instruction (1 = function level).</summary>
    public int ControlDepth { get; }
}

/// <summary>
/// Receives every validated instruction with its operand types, for consumers such as the wasm→C
/// compiler. Implement it on a struct to have the JIT specialize (and inline) the validator for it;
/// <see cref="NoObserver"/> makes the callback vanish.
/// </summary>
public interface IValidationObserver
{
    void OnInstruction(in Instruction instruction, in OperandEffect effect);
}

/// <summary>The observer that observes nothing (costs nothing after JIT specialization).</summary>
public struct NoObserver : IValidationObserver
{
    public readonly void OnInstruction(in Instruction instruction, in OperandEffect effect)
    {
    }
}

public static class OperandTypes
{
    /// <summary>The unknown (bottom) type of values popped in unreachable code.</summary>
    public const ValueType Unknown = 0;
}
