using Dwarfsmith.TestSupport;
using Dwarfsmith.Wasm.Compaction;
using Dwarfsmith.Wasm.Tests.Spec;
using Dwarfsmith.Wasm.Writing;
using Xunit;
using Xunit.Abstractions;

namespace Dwarfsmith.Wasm.Tests.Instructions;

/// <summary>
/// <see cref="CodeCompactor"/> on every well-formed spec-suite module, which covers every opcode.
/// wast2json writes minimal LEBs, so compaction must give back the code byte for byte; where a
/// module was written with padded LEBs (binary-leb128 and the like), wasm-objdump must disassemble
/// the compacted module to the same instructions (or, where wabt cannot read the input, wasm-validate
/// must accept the output).
/// </summary>
public class CodeCompactorSpecTests(ITestOutputHelper output)
{
    [Fact]
    public void Compaction_keeps_every_instruction_of_the_spec_suite()
    {
        var modules = SpecScript.AllModules.Where(m => m.Expectation is SpecExpectation.Valid).ToList();
        Assert.True(modules.Count > 1000, $"only {modules.Count} modules");
        var changed = new List<string>();
        string? scratch = null;
        int unchanged = 0;
        foreach (var spec in modules)
        {
            var module = WasmModule.ReadFile(spec.File, WasmFeatures.Wasm2);
            if (module.CodeSection is not { } code)
                continue;
            var compacted = CodeCompactor.Compact(module);
            Assert.True(compacted.Map.Count >= 2 * module.Bodies.Count + 1, spec.Where);
            if (compacted.Payload.Span.SequenceEqual(code.Payload.Span))
            {
                unchanged++;
                continue;
            }
            Assert.True(compacted.Payload.Length < code.PayloadSize, $"{spec.Where}: compaction grew the code");
            var builder = new ModuleBuilder(module);
            builder.SetStandard(SectionId.Code, compacted.Payload);
            scratch ??= RepoPaths.NewScratchDirectory("spec-compact");
            string path = Path.Combine(scratch, $"{changed.Count}.wasm");
            File.WriteAllBytes(path, builder.ToArray());
            var before = ProcessRunner.Run(Toolchain.WasmObjdump, ["-d", spec.File]);
            if (before.Succeeded)
                Assert.Equal(Instructions(before), Instructions(ProcessRunner.Run(Toolchain.WasmObjdump, ["-d", path]).EnsureSuccess()));
            else
                ProcessRunner.Run(Toolchain.WasmValidate, [path]).EnsureSuccess(); // wabt cannot read a padded 0xFC sub-opcode
            changed.Add(spec.Where + (before.Succeeded ? "" : " (validated only)"));
        }
        output.WriteLine($"{unchanged} modules unchanged, {changed.Count} compacted: {string.Join(", ", changed)}");
        Assert.True(unchanged > 1000, $"only {unchanged} modules came back byte for byte");
    }

    [Fact]
    public void The_later_half_compacted_on_a_second_thread_joins_the_first_exactly()
    {
        int compared = 0;
        foreach (var spec in SpecScript.AllModules.Where(m => m.Expectation is SpecExpectation.Valid))
        {
            var module = WasmModule.ReadFile(spec.File, WasmFeatures.Wasm2);
            if (module.Bodies.Count < 2)
                continue;
            var one = CodeCompactor.Compact(module, concurrent: false);
            var two = CodeCompactor.Compact(module, concurrent: true);
            Assert.Equal(one.Payload.ToArray(), two.Payload.ToArray());
            Assert.Equal(one.Map.OldOffsets.ToArray(), two.Map.OldOffsets.ToArray());
            Assert.Equal(one.Map.NewOffsets.ToArray(), two.Map.NewOffsets.ToArray());
            Assert.Equal(one.InstructionCount, two.InstructionCount);
            compared++;
        }

        Assert.True(compared > 300, $"only {compared} modules with two bodies or more");
    }

    [Fact]
    public void The_fast_path_encodes_every_spec_module_as_the_reader_and_writer_do()
    {
        int compared = 0;
        foreach (var spec in SpecScript.AllModules.Where(m => m.Expectation is SpecExpectation.Valid))
        {
            var module = WasmModule.ReadFile(spec.File, WasmFeatures.Wasm2);
            if (module.CodeSection is null)
                continue;
            AssertSame(CodeCompactor.Compact(module, concurrent: false, generalOnly: true), CodeCompactor.Compact(module, concurrent: false), spec.Where);
            compared++;
        }

        Assert.True(compared > 1000, $"only {compared} modules with code");
    }

    /// <summary>wasm-ld's padded LEBs, which the fast path exists for, at both optimization levels and in SQLite.</summary>
    [Fact]
    public void The_fast_path_encodes_linked_corpus_modules_as_the_reader_and_writer_do()
    {
        var paths = Corpus.Programs.SelectMany(p => new[] { p.BuildWasm(OptLevel.O0).Path, p.BuildWasm(OptLevel.O2).Path })
            .Append(Corpus.Sqlite().Path);
        foreach (string path in paths)
        {
            var module = WasmModule.ReadFile(path);
            var general = CodeCompactor.Compact(module, concurrent: false, generalOnly: true);
            AssertSame(general, CodeCompactor.Compact(module, concurrent: false), path);
            Assert.True(general.Payload.Length < module.CodeSection!.PayloadSize, $"{path}: nothing was padded");
        }
    }

    [Fact]
    public void Damaged_code_fails_the_same_on_one_thread_or_two_and_on_the_general_path()
    {
        var original = File.ReadAllBytes(Corpus.Get("recursion").BuildWasm(OptLevel.O2).Path);
        int failures = 0;
        for (int seed = 0; seed < 200; seed++)
        {
            var module = TryRead(ByteMutator.Mutate(original, seed).Bytes);
            if (module is null || module.Bodies.Count < 2)
                continue;
            string one = Outcome(() => CodeCompactor.Compact(module, concurrent: false));
            string two = Outcome(() => CodeCompactor.Compact(module, concurrent: true));
            string general = Outcome(() => CodeCompactor.Compact(module, concurrent: false, generalOnly: true));
            Assert.True(one == two, $"seed {seed}: one thread {one}, two {two}");
            Assert.True(one == general, $"seed {seed}: fast path {one}, general path {general}");
            failures += one.StartsWith("error", StringComparison.Ordinal) ? 1 : 0;
        }

        Assert.True(failures >= 5, $"only {failures} damaged modules failed compaction");
    }

    private static void AssertSame(CompactedCode expected, CompactedCode actual, string where)
    {
        Assert.True(expected.Payload.Span.SequenceEqual(actual.Payload.Span), $"{where}: the code differs");
        Assert.True(expected.Map.OldOffsets.SequenceEqual(actual.Map.OldOffsets), $"{where}: the old offsets differ");
        Assert.True(expected.Map.NewOffsets.SequenceEqual(actual.Map.NewOffsets), $"{where}: the new offsets differ");
        Assert.Equal(expected.InstructionCount, actual.InstructionCount);
    }

    private static WasmModule? TryRead(byte[] bytes)
    {
        try
        {
            return WasmModule.Read(bytes);
        }
        catch (WasmFormatException)
        {
            return null;
        }
    }

    private static string Outcome(Func<CompactedCode> compact)
    {
        try
        {
            var code = compact();
            return $"{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(code.Payload.Span))} {code.Map.Count} {code.InstructionCount}";
        }
        catch (WasmFormatException e)
        {
            return $"error {e.Message}";
        }
    }

    /// <summary>wasm-objdump's instruction texts, without offsets and bytes.</summary>
    private static List<string> Instructions(ProcessResult disassembly) =>
        [.. Disassembly.Parse(disassembly.StandardOutput, 0).SelectMany(f => f.Lines.Select(l => l.Text))];
}
