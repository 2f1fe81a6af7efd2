using Wasmtime;

// dwarfsmith-wasmtime-host MODULE.wasm [ARGS…]: runs a WASI command module's _start in Wasmtime with
// debug information on and Cranelift's optimizations off, so that gdb and lldb see the JIT code
// through the GDB JIT interface. The exit code is the program's (proc_exit), 134 on a trap.
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: dwarfsmith-wasmtime-host MODULE.wasm [ARGS...]");
    return 64;
}

using var config = new Config()
    .WithDebugInfo(true)
    .WithOptimizationLevel(OptimizationLevel.None)
    .WithParallelCompilation(false);
using var engine = new Engine(config);
using var module = Module.FromFile(engine, args[0]);
using var linker = new Linker(engine);
using var store = new Store(engine);
linker.DefineWasi();
store.SetWasiConfiguration(new WasiConfiguration()
    .WithArgs([Path.GetFileName(args[0]), .. args[1..]])
    .WithInheritedStandardOutput()
    .WithInheritedStandardError());
var instance = linker.Instantiate(store, module);
var start = instance.GetAction("_start")
    ?? throw new InvalidOperationException($"{args[0]}: no _start export");
try
{
    start();
    return 0;
}
catch (WasmtimeException e) when (e.ExitCode is int code)
{
    return code;
}
catch (TrapException e)
{
    Console.Error.WriteLine($"trap: {e.Message}");
    return 134;
}
