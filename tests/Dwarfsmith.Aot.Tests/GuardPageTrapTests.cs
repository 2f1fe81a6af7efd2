using Dwarfsmith.Wasm;
using Dwarfsmith.Wasm.Instructions;
using Xunit;

namespace Dwarfsmith.Aot.Tests;

/// <summary>
/// Out-of-bounds loads and stores caught by guard pages (the default): the fault becomes the trap
/// "out of bounds memory access" with the function and the exact code offset of the faulting
/// instruction (looked up from the pc in the table attached after linking), status 134 — the same
/// report as the explicit checks give, for both compilers, at -O0 and -O2. The accesses span the
/// range a 32-bit address and offset can reach: just past the end, after memory.grow, offset
/// immediates up to 4 GiB − 1 with addresses up to 4 GiB − 1.
/// </summary>
public sealed class GuardPageTrapTests
{
    // name, body of $culprit (called from _start after memory.grow 1: 2 pages = 131072 bytes), trapping opcode
    public static TheoryData<string, string, string> Accesses => new()
    {
        { "load_past_end", "i32.const 131069 i32.load drop", "i32.load" },
        { "load_offset_past_end", "i32.const 0 i64.load offset=131065 drop", "i64.load" },
        { "load8_grown_page_then_past", "i32.const 131071 i32.load8_u drop i32.const 131072 i32.load8_s drop", "i32.load8_s" },
        { "store_past_end", "i32.const 131070 i32.const 7 i32.store16 offset=1", "i32.store16" },
        { "dropped_load_far_past_end", "i32.const 0x10000000 f64.load drop", "f64.load" },
        { "load_offset_2gib", "i32.const 0 i32.load offset=0x80000000 drop", "i32.load" },
        { "load_offset_4gib", "i32.const 0 i64.load offset=0xFFFFFFFF drop", "i64.load" },
        { "store_address_and_offset_4gib", "i32.const -1 f32.const 1 f32.store offset=0xFFFFFFFF", "f32.store" },
        { "store_address_4gib", "i32.const -1 i64.const 1 i64.store8", "i64.store8" },
    };

    [Theory]
    [MemberData(nameof(Accesses))]
    public void Out_of_bounds_access_traps_with_its_code_offset(string name, string body, string opcode)
    {
        var wasm = AotHarness.Wat("guard_" + name, $$"""
            (module
              (memory 1 4)
              (func $culprit {{body}})
              (func $_start (export "_start")
                i32.const 1 memory.grow drop
                call $culprit)
            )
            """);
        var expected = $"wasm trap: out of bounds memory access\n    at culprit (code offset 0x{InstructionOffset(wasm, "culprit", opcode):x}) in ";
        foreach (var compiler in AotHarness.Compilers)
        {
            foreach (var level in new[] { 0, 2 })
            {
                foreach (var checks in new[] { BoundsChecks.GuardPages, BoundsChecks.Explicit })
                {
                    var run = AotHarness.Run(AotHarness.Compile(wasm, level, compiler, boundsChecks: checks), []);
                    var what = $"{compiler} -O{level} {checks}";
                    Assert.True(run.ExitCode == 134, $"{what}: exit {run.ExitCode}\n{run.StandardError}");
                    Assert.True(run.StandardError.StartsWith(expected, StringComparison.Ordinal), $"{what}: expected\n{expected}\ngot\n{run.StandardError}");
                }
            }
        }
    }

    [Fact]
    public void Access_inside_the_memory_after_grow_does_not_trap()
    {
        var wasm = AotHarness.Wat("guard_grown", """
            (module
              (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
              (memory 1 4)
              (func $_start (export "_start")
                i32.const 2 memory.grow drop
                i32.const 196604 i32.const 42 i32.store
                i32.const 196604 i32.load
                call $exit)
            )
            """);
        foreach (var level in new[] { 0, 2 })
        {
            var run = AotHarness.Run(AotHarness.Compile(wasm, level), []);
            Assert.True(run.ExitCode == 42, $"-O{level}: exit {run.ExitCode}\n{run.StandardError}");
        }
    }

    internal static uint InstructionOffset(string wasmPath, string name, string mnemonic)
    {
        var module = WasmModule.ReadFile(wasmPath);
        var body = module.Bodies.Single(b => module.FunctionName(b.FunctionIndex) == name);
        var reader = new InstructionReader(body.Instructions.Span, body.InstructionsOffset);
        while (reader.TryRead(out var instruction))
        {
            if (instruction.Opcode.Mnemonic() == mnemonic)
                return body.InstructionsCodeOffset + (uint)instruction.Offset;
        }
        throw new InvalidOperationException($"no {mnemonic} in {name}");
    }
}
