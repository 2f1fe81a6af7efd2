using System.Text.RegularExpressions;
using Xunit;

namespace Dwarfsmith.TestSupport;

/// <summary>One function as <c>wasm-objdump -d</c> prints it, offsets turned into code offsets (DWARF addresses).</summary>
/// <param name="Header">The function's header (index and name).</param>
/// <param name="BodyStart">Its low_pc: wasm-objdump's header offset is that of the local declarations.</param>
/// <param name="Lines">Each printed line (local declarations, then instructions): code offset and decoded text.</param>
public sealed record DisassembledFunction(string Header, uint BodyStart, IReadOnlyList<(uint Offset, string Text)> Lines)
{
    /// <summary>The body's exclusive end: every body ends with <c>end</c>, one byte.</summary>
    public uint BodyEnd => Lines[^1].Offset + 1;
}

/// <summary>
/// wasm-objdump's disassembly, the oracle of what compaction must keep (the instruction sequence)
/// and of where each instruction went (the offset map expected of the DWARF).
/// </summary>
public static partial class Disassembly
{
    /// <summary>Runs <c>wasm-objdump -d</c>; <paramref name="codePayloadOffset"/> (the file offset of DWARF address 0) turns its offsets into code offsets.</summary>
    public static IReadOnlyList<DisassembledFunction> Read(string wasmPath, long codePayloadOffset) =>
        Parse(ProcessRunner.Run(Toolchain.WasmObjdump, ["-d", wasmPath], new ProcessOptions { Timeout = TimeSpan.FromMinutes(5) }).EnsureSuccess().StandardOutput, codePayloadOffset);

    /// <summary>Reads the output of <c>wasm-objdump -d</c>.</summary>
    public static IReadOnlyList<DisassembledFunction> Parse(string objdumpOutput, long codePayloadOffset)
    {
        ArgumentNullException.ThrowIfNull(objdumpOutput);
        var functions = new List<DisassembledFunction>();
        List<(uint, string)>? lines = null;
        foreach (var line in objdumpOutput.Split('\n'))
        {
            if (HeaderLine().Match(line) is { Success: true } header)
            {
                lines = [];
                functions.Add(new DisassembledFunction(header.Groups[2].Value, CodeOffset(header.Groups[1].Value, codePayloadOffset), lines));
            }
            else if (InstructionLine().Match(line) is { Success: true } instruction && lines is not null)
            {
                lines.Add((CodeOffset(instruction.Groups[1].Value, codePayloadOffset), instruction.Groups[2].Value.TrimEnd()));
            }
        }
        return functions;
    }

    /// <summary>
    /// Asserts that both disassemblies list the same functions and instructions, and returns the map
    /// from the input's code offsets to the output's: body starts, every printed line, body ends.
    /// </summary>
    public static Dictionary<ulong, ulong> SameInstructionsMap(IReadOnlyList<DisassembledFunction> input, IReadOnlyList<DisassembledFunction> output)
    {
        Assert.Equal(input.Count, output.Count);
        var map = new Dictionary<ulong, ulong> { [0] = 0 };
        for (int f = 0; f < input.Count; f++)
        {
            var (a, b) = (input[f], output[f]);
            Assert.Equal(a.Header, b.Header);
            Assert.True(a.Lines.Count == b.Lines.Count, $"{a.Header}: {a.Lines.Count} instructions in, {b.Lines.Count} out");
            map[a.BodyStart] = b.BodyStart;
            for (int i = 0; i < a.Lines.Count; i++)
            {
                if (a.Lines[i].Text != b.Lines[i].Text)
                    Assert.Fail($"{a.Header}: instruction {i} was '{a.Lines[i].Text}', is '{b.Lines[i].Text}'");
                map[a.Lines[i].Offset] = b.Lines[i].Offset;
            }
            map[a.BodyEnd] = b.BodyEnd;
        }
        return map;
    }

    private static uint CodeOffset(string hex, long codePayloadOffset) => (uint)(Convert.ToInt64(hex, 16) - codePayloadOffset);

    [GeneratedRegex(@"^([0-9a-f]+) func\[(\d+\].*):$")]
    private static partial Regex HeaderLine();

    // An instruction longer than 9 bytes continues on a line without text, which this leaves out.
    [GeneratedRegex(@"^ ([0-9a-f]+): [^|]*\|( *\S.*)$")]
    private static partial Regex InstructionLine();
}
