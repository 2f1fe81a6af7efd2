using Dwarfsmith.TestSupport;
using Dwarfsmith.Wasm.Validation;
using Xunit;

namespace Dwarfsmith.Wasm.Tests.Validation;

/// <summary>
/// Small modules around the extensions the spec suite does not cover (exceptions, tail calls,
/// atomics, multi-value) and around tricky 2.0 rules: our verdict must equal wasm-validate's.
/// </summary>
public class WabtDifferentialTests
{
    // Not --enable-all: with function references and GC, wabt types ref.func as (ref $t) and
    // relaxes call_indirect, which is not WebAssembly 2.0.
    private static readonly string[] Features = ["--enable-exceptions", "--enable-tail-call", "--enable-threads"];

    /// <summary>
    /// Where wabt 1.0.32 deviates from the 2.0 spec: call_indirect requires a funcref table
    /// ("The reference type t must be funcref"), wabt accepts an externref one.
    /// </summary>
    private static readonly HashSet<string> s_wabtBugs = ["call-indirect-externref-table"];

    public static TheoryData<string, string> Snippets() => new()
    {
        { "try-catch", "(tag $e (param i32)) (func (result i32) (try (result i32) (do (i32.const 1) (throw $e)) (catch $e) (catch_all (i32.const 2))))" },
        { "try-catch-wrong-type", "(tag $e (param i64)) (func (result i32) (try (result i32) (do (i32.const 1)) (catch $e)))" },
        { "rethrow", "(tag $e) (func (try (do nop) (catch $e (rethrow 0))))" },
        { "rethrow-outside-catch", "(tag $e) (func (block (rethrow 0)))" },
        { "delegate", "(tag $e) (func (block (try (do (try (do nop) (delegate 1))) (catch_all))))" },
        { "throw-unknown-tag", "(func (throw 3))" },
        { "return-call", "(func $f (param i32) (result i32) (return_call $f (local.get 0)))" },
        { "return-call-results-differ", "(func $g (result i64) (i64.const 0)) (func (result i32) (return_call $g))" },
        { "return-call-indirect", "(type $t (func (result i32))) (table 1 funcref) (func (result i32) (return_call_indirect (type $t) (i32.const 0)))" },
        { "atomics", "(memory 1 1 shared) (func (result i32) (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))" },
        { "atomic-misaligned", "(memory 1 1 shared) (func (result i32) (i32.atomic.load align=2 (i32.const 0)))" },
        { "atomic-fence", "(func (atomic.fence))" },
        { "multi-value-block", "(func (result i32 i64) (block (result i32 i64) (i32.const 1) (i64.const 2)))" },
        { "block-params", "(func (result i32) (i32.const 1) (block (param i32) (result i32) (i32.const 2) (i32.add)))" },
        { "block-params-missing", "(func (result i32) (block (param i32) (result i32) (i32.const 2) (i32.add)))" },
        { "loop-label-params", "(func (param i32) (result i32) (local.get 0) (loop (param i32) (result i32) (br_if 0 (i32.const 0)) ))" },
        { "br-table-unreachable", "(func (result i32) (block (result i32) (unreachable) (br_table 0 0)))" },
        { "br-table-mixed-arity", "(func (block (result i32) (block (unreachable) (br_table 0 1))) (drop))" },
        { "select-ref-untyped", "(func (param funcref funcref) (result funcref) (select (local.get 0) (local.get 1) (i32.const 1)))" },
        { "select-typed", "(func (param funcref funcref) (result funcref) (select (result funcref) (local.get 0) (local.get 1) (i32.const 1)))" },
        { "select-unreachable", "(func (result i32) (unreachable) (select))" },
        { "select-mixed", "(func (result i32) (select (i32.const 1) (i64.const 1) (i32.const 1)))" },
        { "v128-lane-bounds", "(func (result i32) (i8x16.extract_lane_s 16 (v128.const i64x2 0 0)))" },
        { "v128-load-lane", "(memory 1) (func (result v128) (v128.load16_lane 7 (i32.const 0) (v128.const i64x2 0 0)))" },
        { "memory-grow-no-memory", "(func (result i32) (memory.grow (i32.const 1)))" },
        { "table-ops", "(table 2 externref) (func (param externref) (result i32) (table.grow 0 (local.get 0) (i32.const 1)))" },
        { "table-copy-mismatch", "(table 1 funcref) (table 1 externref) (func (table.copy 0 1 (i32.const 0) (i32.const 0) (i32.const 0)))" },
        { "call-indirect-externref-table", "(type $t (func)) (table 1 externref) (func (call_indirect (type $t) (i32.const 0)))" },
        { "ref-func-declared", "(func $f) (elem declare func $f) (func (result funcref) (ref.func $f))" },
        { "ref-is-null-numeric", "(func (result i32) (ref.is_null (i32.const 0)))" },
        { "global-mutable-init", "(global $g (import \"m\" \"g\") (mut i32)) (global i32 (global.get $g))" },
        { "local-tee-wrong", "(func (local i64) (drop (local.tee 0 (i32.const 1))))" },
        { "if-else-types", "(func (result i32) (if (result i32) (i32.const 1) (then (i32.const 1)) (else (i64.const 1))))" },
        { "end-with-extra-value", "(func (i32.const 1))" },
    };

    [Theory]
    [MemberData(nameof(Snippets))]
    public void Verdict_matches_wasm_validate(string name, string body)
    {
        var directory = RepoPaths.CacheDirectory(Path.Combine("tmp", "wabt-diff"));
        var wat = Path.Combine(directory, name + ".wat");
        var wasm = Path.Combine(directory, name + ".wasm");
        File.WriteAllText(wat, $"(module {body})");
        ProcessRunner.Run(Toolchain.Require("wat2wasm"), [.. Features, "--no-check", wat, "-o", wasm]).EnsureSuccess();
        var wabtValid = ProcessRunner.Run(Toolchain.WasmValidate, [.. Features, wasm]).ExitCode == 0;
        var expectValid = s_wabtBugs.Contains(name) ? !wabtValid : wabtValid;
        string? ours = null;
        try
        {
            ModuleValidator.Validate(WasmModule.ReadFile(wasm, WasmFeatures.All));
        }
        catch (WasmFormatException e)
        {
            ours = e.Message;
        }
        Assert.True(expectValid == (ours is null), $"{(s_wabtBugs.Contains(name) ? "(known wabt bug) " : "")}wasm-validate says {(wabtValid ? "valid" : "invalid")}, we say {ours ?? "valid"}");
    }
}
