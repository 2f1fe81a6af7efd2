using Dwarfsmith.TestSupport;
using Dwarfsmith.Wasm;
using Dwarfsmith.Wasm.Instructions;
using Xunit;

namespace Dwarfsmith.Aot.Tests;

/// <summary>
/// One module per trap kind: the executable exits 134 and prints the kind, the function's
/// name-section name and the code offset (DWARF address space) of the trapping instruction.
/// </summary>
public sealed class TrapTests
{
    private const string Prelude = """
        (type $v (func))
        (type $i (func (result i32)))
        (memory 1 2)
        (table 2 funcref)
        (data (i32.const 0) "abc")
        (func $ok (type $v))
        (elem (i32.const 0) $ok)
        """;

    // kind, message, body of $culprit (called from _start), trapping opcode
    public static TheoryData<string, string, string, string> Kinds => new()
    {
        { "unreachable", "unreachable", "unreachable", "unreachable" },
        { "div_zero", "integer divide by zero", "i32.const 1 i32.const 0 i32.div_s drop", "i32.div_s" },
        { "rem_zero", "integer divide by zero", "i64.const 1 i64.const 0 i64.rem_u drop", "i64.rem_u" },
        { "div_overflow", "integer overflow", "i32.const 0x80000000 i32.const -1 i32.div_s drop", "i32.div_s" },
        { "trunc_nan", "invalid conversion to integer", "f32.const nan i32.trunc_f32_s drop", "i32.trunc_f32_s" },
        { "trunc_range", "integer overflow", "f64.const 1e10 i32.trunc_f64_s drop", "i32.trunc_f64_s" },
        { "load_oob", "out of bounds memory access", "i32.const 65533 i32.load drop", "i32.load" },
        { "store_offset_oob", "out of bounds memory access", "i32.const 0 i64.const 0 i64.store offset=65529", "i64.store" },
        { "fill_oob", "out of bounds memory access", "i32.const 65000 i32.const 0 i32.const 600 memory.fill", "memory.fill" },
        { "undefined_element", "undefined element", "i32.const 5 call_indirect (type $v)", "call_indirect" },
        { "uninitialized_element", "uninitialized element", "i32.const 1 call_indirect (type $v)", "call_indirect" },
        { "indirect_type_mismatch", "indirect call type mismatch", "i32.const 0 call_indirect (type $i) drop", "call_indirect" },
        { "table_oob", "out of bounds table access", "i32.const 9 table.get 0 drop", "table.get" },
        { "stack_exhausted", "call stack exhausted", "call $culprit", "" },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Traps_with_kind_function_and_offset(string kind, string message, string body, string opcode)
    {
        var wasm = AotHarness.Wat(kind, $"""
            (module
              {Prelude}
              (func $culprit {body})
              (func $_start (export "_start") call $culprit)
            )
            """);
        var expectedOffset = opcode.Length == 0 ? FunctionStart(wasm, "culprit") : InstructionOffset(wasm, "culprit", opcode);
        foreach (var compiler in AotHarness.Compilers)
        {
            foreach (var level in new[] { 0, 2 })
            {
                var run = AotHarness.Run(AotHarness.Compile(wasm, level, compiler), []);
                Assert.True(run.ExitCode == 134, $"{compiler} -O{level}: exit {run.ExitCode}\n{run.StandardError}");
                Assert.Contains($"wasm trap: {message}\n", run.StandardError, StringComparison.Ordinal);
                if (opcode.Length == 0)
                    Assert.Contains("at culprit (code offset ", run.StandardError, StringComparison.Ordinal);
                else
                    Assert.Contains($"at culprit (code offset 0x{expectedOffset:x})", run.StandardError, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Stack_exhaustion_reports_the_function_entry()
    {
        var wasm = AotHarness.Wat("deep", $"""
            (module
              (func $deep (param i64) (result i64) local.get 0 i64.const 1 i64.add call $deep)
              (func $_start (export "_start") i64.const 0 call $deep drop)
            )
            """);
        var run = AotHarness.Run(AotHarness.Compile(wasm, 0), []);
        Assert.Equal(134, run.ExitCode);
        Assert.Contains($"wasm trap: call stack exhausted\n    at deep (code offset 0x{FunctionStart(wasm, "deep"):x})", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Output_before_a_trap_is_kept()
    {
        var wasm = AotHarness.Wat("print_then_trap", """
            (module
              (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
              (memory 1)
              (data (i32.const 16) "hello\n")
              (data (i32.const 0) "\10\00\00\00\06\00\00\00")
              (func $_start (export "_start")
                i32.const 1 i32.const 0 i32.const 1 i32.const 8 call $fd_write drop
                unreachable)
            )
            """);
        var run = AotHarness.Run(AotHarness.Compile(wasm, 2), []);
        Assert.Equal(134, run.ExitCode);
        Assert.Equal("hello\n", run.StandardOutput);
        Assert.Contains("wasm trap: unreachable\n    at _start", run.StandardError, StringComparison.Ordinal);
    }

    private static uint FunctionStart(string wasmPath, string name)
    {
        var module = WasmModule.ReadFile(wasmPath);
        return Body(module, name).CodeOffset;
    }

    private static uint InstructionOffset(string wasmPath, string name, string mnemonic)
    {
        var module = WasmModule.ReadFile(wasmPath);
        var body = Body(module, name);
        var reader = new InstructionReader(body.Instructions.Span, body.InstructionsOffset);
        while (reader.TryRead(out var instruction))
        {
            if (instruction.Opcode.Mnemonic() == mnemonic)
                return body.InstructionsCodeOffset + (uint)instruction.Offset;
        }
        throw new InvalidOperationException($"no {mnemonic} in {name}");
    }

    private static FunctionBody Body(WasmModule module, string name) =>
        module.Bodies.Single(b => module.FunctionName(b.FunctionIndex) == name);
}
