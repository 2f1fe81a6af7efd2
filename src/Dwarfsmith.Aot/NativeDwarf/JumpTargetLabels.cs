using Dwarfsmith.Wasm;
using Dwarfsmith.Wasm.Instructions;

namespace Dwarfsmith.Aot.NativeDwarf;

/// <summary>
/// The code offsets of a module's <c>end</c> and <c>else</c> instructions, where forward jumps land
/// (a <c>br</c> out of a block, an <c>if</c> to its <c>else</c>), which the translated C has as
/// labels (and block-result moves), each with the offset of the first instruction after it that is
/// not one. A line row's span covers them without the compiler having given them a line (LLVM's wasm
/// backend emits them with no location), but what runs at such a label is what follows it: a
/// <c>break</c> out of a loop arrives at the statement after the loop, not in the row of the
/// <c>break</c>, where gdb would stop once more although the native build does not. The visitor
/// gives a label's native code a line-0 row (see <see cref="WasmToNativeVisitor"/>).
/// </summary>
public sealed class JumpTargetLabels
{
    /// <summary>A label's value when no instruction follows it (the function's final <c>end</c>).</summary>
    public const ulong NoNextInstruction = ulong.MaxValue;

    private readonly Dictionary<ulong, ulong> _next;

    private JumpTargetLabels(Dictionary<ulong, ulong> next) => _next = next;

    /// <summary>None (a module given without its code).</summary>
    public static JumpTargetLabels None { get; } = new([]);

    /// <summary>
    /// Whether the instruction at <paramref name="codeOffset"/> is such a label, and if so the code
    /// offset of the first instruction after it that is not one (<see cref="NoNextInstruction"/> if none).
    /// </summary>
    public bool TryGetNext(ulong codeOffset, out ulong next) => _next.TryGetValue(codeOffset, out next);

    public int Count => _next.Count;

    /// <summary>Decodes every function body of <paramref name="module"/>.</summary>
    public static JumpTargetLabels Find(WasmModule module)
    {
        ArgumentNullException.ThrowIfNull(module);
        var next = new Dictionary<ulong, ulong>();
        var pending = new List<ulong>();
        foreach (var body in module.Bodies)
        {
            var reader = new InstructionReader(body.Instructions.Span, body.InstructionsOffset);
            while (reader.TryRead(out var instruction))
            {
                ulong offset = body.InstructionsCodeOffset + (ulong)instruction.Offset;
                if (instruction.Opcode is Opcode.Else or Opcode.End)
                {
                    pending.Add(offset);
                    continue;
                }

                foreach (var label in pending)
                    next[label] = offset;
                pending.Clear();
            }

            foreach (var label in pending)
                next[label] = NoNextInstruction;
            pending.Clear();
        }

        return new JumpTargetLabels(next);
    }
}
