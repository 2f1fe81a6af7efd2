using Dwarfsmith.Wasm.Instructions;

namespace Dwarfsmith.Wasm.Compaction;

/// <summary>A code section payload re-encoded with minimal LEBs and where its offsets went.</summary>
/// <param name="Payload">The new code section payload (function count and bodies), in the compactor's buffer (not copied).</param>
/// <param name="Map">Old → new code offsets: the section start, every body start, instruction start and body end.</param>
/// <param name="InstructionCount">Instructions re-encoded.</param>
public sealed record CompactedCode(ReadOnlyMemory<byte> Payload, CodeOffsetMap Map, long InstructionCount);

/// <summary>
/// Re-encodes a linked module's code at minimal width. wasm-ld pads every relocated LEB to 5 bytes
/// (10 for 64-bit values) so that it can patch it in place: call targets, global, type and table
/// indices, <c>i32.const</c> addresses, memarg offsets. Encoding each instruction again as
/// <see cref="InstructionWriter"/> does (through <see cref="InstructionShrinker"/>) gives the same
/// instruction in fewer bytes; so do the function count, the body sizes and the local declarations.
/// </summary>
public static class CodeCompactor
{
    /// <summary>Below this many bytes of code, a second thread costs more than it saves.</summary>
    private const int ConcurrentCodeSize = 64 * 1024;

    public static CompactedCode Compact(WasmModule module)
    {
        ArgumentNullException.ThrowIfNull(module);
        return Compact(module, Environment.ProcessorCount > 1 && module.CodeSection?.PayloadSize >= ConcurrentCodeSize);
    }

    /// <summary>
    /// As <see cref="Compact(WasmModule)"/>, with the later half of the bodies on a second thread or
    /// not, and with every instruction decoded and encoded in full (<paramref name="generalOnly"/>,
    /// the reference for <see cref="InstructionShrinker"/>'s fast path) or not.
    /// </summary>
    internal static CompactedCode Compact(WasmModule module, bool concurrent, bool generalOnly = false)
    {
        var section = module.CodeSection;
        var bodies = module.Bodies;
        var output = new WasmWriter(section?.PayloadSize ?? 8);
        var map = new CodeOffsetMap.Builder(Math.Max(16, (section?.PayloadSize ?? 0) / 2)); // about one instruction per 2 bytes

        map.Add(0, 0);
        output.WriteVarUInt32((uint)bodies.Count);

        // Bodies compact independently: with a second core, the later half of the code goes to a
        // worker thread, into a writer of its own and a map split off this one (offsets relative to
        // its start), which are appended after the first half.
        int split = concurrent ? HalfwayBody(bodies) : bodies.Count;
        var tail = split < bodies.Count ? new TailChunk(bodies, split, map, generalOnly) : null;
        long instructions;
        try
        {
            instructions = CompactBodies(bodies, 0, split, output, map, generalOnly);
        }
        finally
        {
            tail?.Wait(); // its error, if any, comes after the first half's in the bodies' order
        }

        if (tail is not null)
        {
            tail.ThrowIfFailed();
            uint tailStart = (uint)output.Length;
            output.WriteBytes(tail.Bytes.WrittenSpan);
            map.Append(tail.Map, tailStart);
            instructions += tail.Instructions;
        }

        if (bodies.Count == 0 && section is not null && section.PayloadSize > 0)
            map.Add((uint)section.PayloadSize, (uint)output.Length);
        return new CompactedCode(output.WrittenMemory, map.Build(), instructions);
    }

    /// <summary>The first body of the code's second half (by size).</summary>
    private static int HalfwayBody(IReadOnlyList<FunctionBody> bodies)
    {
        long total = 0;
        foreach (var body in bodies)
            total += body.Size;
        long seen = 0;
        for (int i = 0; i < bodies.Count; i++)
        {
            seen += bodies[i].Size;
            if (seen * 2 >= total)
                return i + 1;
        }

        return bodies.Count;
    }

    /// <summary>
    /// Writes bodies [<paramref name="from"/>, <paramref name="to"/>) (each with its size) to
    /// <paramref name="output"/>, mapping each body start, instruction start and body end to its
    /// position in <paramref name="output"/>; returns the number of instructions.
    /// </summary>
    private static long CompactBodies(IReadOnlyList<FunctionBody> bodies, int from, int to, WasmWriter output, CodeOffsetMap.Builder map, bool generalOnly)
    {
        var body = new WasmWriter(4096);
        // An instruction takes a byte at least: a body's size bounds its instruction count.
        var oldStarts = new int[4096];
        var newStarts = new int[4096];
        long instructions = 0;
        for (int b = from; b < to; b++)
        {
            var input = bodies[b];
            body.Clear();
            WriteLocals(body, input.Locals);
            var code = input.Instructions.Span;
            if (code.Length > oldStarts.Length)
            {
                oldStarts = new int[Math.Max(code.Length, oldStarts.Length * 2)];
                newStarts = new int[oldStarts.Length];
            }

            int count = InstructionShrinker.Shrink(code, input.InstructionsOffset, body, oldStarts, newStarts, generalOnly);
            instructions += count;

            output.WriteVarUInt32((uint)body.Length);
            uint newStart = (uint)output.Length;
            map.Add(input.CodeOffset, newStart);
            map.AddRange(input.InstructionsCodeOffset, oldStarts.AsSpan(0, count), newStart, newStarts.AsSpan(0, count));
            map.Add(input.CodeOffset + (uint)input.Size, newStart + (uint)body.Length);
            output.WriteBytes(body.WrittenSpan);
        }

        return instructions;
    }

    /// <summary>The bodies from one index to the end, compacted on a thread of their own.</summary>
    private sealed class TailChunk
    {
        private readonly Thread _thread;
        private System.Runtime.ExceptionServices.ExceptionDispatchInfo? _failure;

        public TailChunk(IReadOnlyList<FunctionBody> bodies, int from, CodeOffsetMap.Builder first, bool generalOnly)
        {
            long size = 0;
            for (int i = from; i < bodies.Count; i++)
                size += bodies[i].Size;
            Map = first.SplitOff((int)Math.Min(size / 2, int.MaxValue / 2)); // about one instruction per 2 bytes, as for the whole
            _thread = new Thread(() =>
            {
                try
                {
                    var bytes = new WasmWriter((int)Math.Min(size, int.MaxValue / 2));
                    Instructions = CompactBodies(bodies, from, bodies.Count, bytes, Map, generalOnly);
                    Bytes = bytes;
                }
                catch (Exception e)
                {
                    _failure = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e);
                }
            }) { IsBackground = true, Name = "dwarfsmith code compaction" };
            _thread.Start();
        }

        public void Wait() => _thread.Join();

        /// <summary>The chunk's bytes (valid once it ran without failure).</summary>
        public WasmWriter Bytes { get; private set; } = null!;

        /// <summary>Where the chunk's offsets went, from its own start.</summary>
        public CodeOffsetMap.Builder Map { get; }

        public long Instructions { get; private set; }

        public void ThrowIfFailed() => _failure?.Throw();
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
}
