using System.Text.RegularExpressions;
using Dwarfsmith.TestSupport;
using Dwarfsmith.Wasm;
using Dwarfsmith.Wasm.Instructions;
using Dwarfsmith.Wasm.Validation;
using Xunit;
using ValueType = Dwarfsmith.Wasm.ValueType;

namespace Dwarfsmith.Aot.Tests;

/// <summary>
/// The <c>#line</c> mapping, read back by llvm-dwarfdump from the native executable: at -O0 every
/// reachable wasm instruction of every function has at least one native address, and every native
/// row names an instruction start or a function start (or line 0, no line).
/// </summary>
public sealed partial class LineTableTests
{
    public static TheoryData<string, string> Programs
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var name in new[] { "structs", "switches", "floats" })
            {
                foreach (var compiler in AotHarness.Compilers)
                    data.Add(name, compiler);
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Programs))]
    public void Every_instruction_has_a_native_address(string name, string compiler)
    {
        var wasm = Corpus.Get(name).BuildWasm(OptLevel.O0).Path;
        var module = WasmModule.ReadFile(wasm);
        var executable = AotHarness.Compile(wasm, 0, compiler);
        var dump = ProcessRunner.Run(Toolchain.LlvmDwarfdump, ["--debug-line", executable]).EnsureSuccess().StandardOutput;
        var mapped = WasmLines(dump, Path.GetFileName(wasm));

        var collector = new InstructionCollector();
        var validation = ValidationContext.FromModule(module);
        var validator = new FunctionValidator(validation);
        foreach (var body in module.Bodies)
        {
            collector.BeginFunction(body);
            validator.Validate(body, ref collector);
        }
        Assert.True(collector.Expected.Count > 1000, $"only {collector.Expected.Count} instructions");
        var missing = collector.Expected.Where(offset => !mapped.Contains(offset)).ToList();
        Assert.True(missing.Count == 0,
            $"{missing.Count} of {collector.Expected.Count} instructions have no native address, e.g. "
            + string.Join(", ", missing.Take(10).Select(o => $"0x{o:x} ({collector.Mnemonics[o]})")));

        var starts = collector.All.Concat(module.Bodies.Select(b => b.CodeOffset)).ToHashSet();
        // Line 0 is DWARF's "no source line" (clang uses it for compiler-generated code).
        var stray = mapped.Where(line => line != 0 && !starts.Contains(line)).ToList();
        Assert.True(stray.Count == 0, $"rows at offsets that start no instruction: {string.Join(", ", stray.Take(10).Select(o => $"0x{o:x}"))}");
    }

    /// <summary>The line numbers of the rows of <paramref name="file"/> in every line table of a dump.</summary>
    private static HashSet<uint> WasmLines(string dump, string file)
    {
        var lines = new HashSet<uint>();
        var files = new Dictionary<int, string>();
        var pendingIndex = -1;
        foreach (var line in dump.Split('\n'))
        {
            if (line.StartsWith("debug_line[", StringComparison.Ordinal))
            {
                files.Clear();
                continue;
            }
            var entry = FileEntry().Match(line);
            if (entry.Success)
            {
                pendingIndex = int.Parse(entry.Groups[1].Value);
                continue;
            }
            var fileName = FileName().Match(line);
            if (fileName.Success && pendingIndex >= 0)
            {
                files[pendingIndex] = fileName.Groups[1].Value;
                pendingIndex = -1;
                continue;
            }
            var row = Row().Match(line);
            if (row.Success && !line.Contains("end_sequence", StringComparison.Ordinal)
                && files.TryGetValue(int.Parse(row.Groups[2].Value), out var name) && name == file)
            {
                lines.Add(uint.Parse(row.Groups[1].Value));
            }
        }
        return lines;
    }

    [GeneratedRegex(@"^file_names\[\s*(\d+)\]:")]
    private static partial Regex FileEntry();

    [GeneratedRegex(@"^\s+name: ""([^""]*)""")]
    private static partial Regex FileName();

    [GeneratedRegex(@"^0x[0-9a-f]+\s+(\d+)\s+\d+\s+(\d+)\s")]
    private static partial Regex Row();

    /// <summary>
    /// Instruction offsets (DWARF address space): all of them, and those that are reachable — not in
    /// code the validator marks unreachable nor in blocks entered from it; a block's else/end counts
    /// when the block was entered (branches land there), a loop's or the function's end when it is reached.
    /// </summary>
    private sealed class InstructionCollector : IValidationObserver
    {
        private readonly Stack<bool> _dead = new();
        private readonly Stack<Opcode> _kinds = new();
        private FunctionBody _body = null!;

        public List<uint> Expected { get; } = [];

        public List<uint> All { get; } = [];

        public Dictionary<uint, string> Mnemonics { get; } = [];

        public void BeginFunction(FunctionBody body)
        {
            _body = body;
            _dead.Clear();
            _kinds.Clear();
            _dead.Push(false);
        }

        public void OnInstruction(in Instruction instruction, in OperandEffect effect)
        {
            var unreachable = effect.Unreachable;
            var offset = _body.InstructionsCodeOffset + (uint)instruction.Offset;
            All.Add(offset);
            Mnemonics[offset] = instruction.Opcode.Mnemonic();
            bool expected;
            switch (instruction.Opcode)
            {
                case Opcode.Block or Opcode.Loop or Opcode.If:
                    expected = !_dead.Peek() && !unreachable;
                    _dead.Push(!expected);
                    _kinds.Push(instruction.Opcode);
                    break;
                case Opcode.Else:
                    expected = !_dead.Peek();
                    break;
                case Opcode.End:
                    // A loop's label is at its start: control reaches its end only by falling through.
                    var dead = _dead.Pop();
                    var kind = _dead.Count == 0 ? Opcode.End : _kinds.Pop();
                    expected = _dead.Count == 0 || kind == Opcode.Loop ? !dead && !unreachable : !dead;
                    break;
                default:
                    expected = !_dead.Peek() && !unreachable;
                    break;
            }
            if (expected)
                Expected.Add(offset);
        }
    }
}
