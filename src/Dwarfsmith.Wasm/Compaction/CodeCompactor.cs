using Dwarfsmith.Wasm.Instructions;

namespace Dwarfsmith.Wasm.Compaction;

/// <summary>A code section payload re-encoded with minimal LEBs and where its offsets went.</summary>
/// <param name="Payload">The new code section payload (function count and bodies).</param>
/// <param name="Map">Old → new code offsets: the section start, every body start, instruction start and body end.</param>
/// <param name="InstructionCount">Instructions re-encoded.</param>
public sealed record CompactedCode(byte[] Payload, CodeOffsetMap Map, long InstructionCount);

/// <summary>
/// Re-encodes a linked module's code at minimal width. wasm-ld pads every relocated LEB to 5 bytes
/// (10 for 64-bit values) so that it can patch it in place: call targets, global, type and table
/// indices, <c>i32.const</c> addresses, memarg offsets. Decoding each instruction and encoding it
/// again with <see cref="InstructionWriter"/> gives the same instruction in fewer bytes; so do the
/// function count, the body sizes and the local declarations.
/// </summary>
public static class CodeCompactor
{
    public static CompactedCode Compact(WasmModule module)
    {
        ArgumentNullException.ThrowIfNull(module);
        var section = module.CodeSection;
        var bodies = module.Bodies;
        var output = new WasmWriter(section?.PayloadSize ?? 8);
        var body = new WasmWriter(4096);
        var map = new CodeOffsetMap.Builder(Math.Max(16, (section?.PayloadSize ?? 0) / 2)); // about one instruction per 2 bytes
        var oldPositions = new List<int>(1024);
        var newPositions = new List<int>(1024);
        long instructions = 0;

        map.Add(0, 0);
        output.WriteVarUInt32((uint)bodies.Count);
        foreach (var input in bodies)
        {
            body.Clear();
            oldPositions.Clear();
            newPositions.Clear();
            WriteLocals(body, input.Locals);
            instructions += WriteInstructions(body, input, oldPositions, newPositions);

            output.WriteVarUInt32((uint)body.Length);
            uint newStart = (uint)output.Length;
            map.Add(input.CodeOffset, newStart);
            for (int i = 0; i < oldPositions.Count; i++)
                map.Add(input.CodeOffset + (uint)oldPositions[i], newStart + (uint)newPositions[i]);
            map.Add(input.CodeOffset + (uint)input.Size, newStart + (uint)body.Length);
            output.WriteBytes(body.WrittenSpan);
        }

        if (bodies.Count == 0 && section is not null && section.PayloadSize > 0)
            map.Add((uint)section.PayloadSize, (uint)output.Length);
        return new CompactedCode(output.ToArray(), map.Build(), instructions);
    }

    private static void WriteLocals(WasmWriter writer, IReadOnlyList<LocalDeclaration> locals)
    {
        writer.WriteVarUInt32((uint)locals.Count);
        foreach (var declaration in locals)
        {
            writer.WriteVarUInt32(declaration.Count);
            writer.WriteByte((byte)declaration.Type);
        }
    }

    /// <summary>Re-encodes the body's instructions, noting each one's old and new position within the body.</summary>
    private static int WriteInstructions(WasmWriter writer, FunctionBody input, List<int> oldPositions, List<int> newPositions)
    {
        var code = input.Instructions.Span;
        var reader = new InstructionReader(code, input.InstructionsOffset);
        int count = 0;
        while (reader.TryRead(out var instruction))
        {
            oldPositions.Add(input.InstructionsStart + instruction.Offset);
            newPositions.Add(writer.Length);
            InstructionWriter.Write(writer, instruction, code);
            count++;
        }
        return count;
    }
}
