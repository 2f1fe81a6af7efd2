using Dwarfsmith.TestSupport;
using Dwarfsmith.Wasm;

namespace Dwarfsmith.Aot.Tests;

/// <summary>Compiles modules ahead of time (cached under .cache/aot) and runs the executables.</summary>
internal static class AotHarness
{
    public static readonly string[] Compilers = ["clang-22", "gcc"];

    /// <summary>The native executable for a wasm file, compiled at <paramref name="level"/> by <paramref name="compiler"/>.</summary>
    public static string Compile(string wasmPath, int level, string compiler = "clang-22", int parts = 1, BoundsChecks boundsChecks = BoundsChecks.GuardPages,
        bool debugInfo = false)
    {
        var module = WasmModule.ReadFile(wasmPath);
        var options = new AotOptions { OptimizationLevel = level, Compiler = compiler, Parts = parts, BoundsChecks = boundsChecks, DebugInfo = debugInfo };
        // Concurrent requests for one entry both compile; the executable is renamed into place atomically.
        return AotCompiler.CompileCached(module, Path.GetFileName(wasmPath), options, RepoPaths.CacheDirectory("aot"));
    }

    /// <summary>Runs an executable with runtime options (preopens, environment) and program arguments.</summary>
    public static ProcessResult Run(string executable, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null,
        IReadOnlyDictionary<string, string>? preopens = null, string? workingDirectory = null, string? standardInput = null)
    {
        var arguments = new List<string>();
        foreach (var (guest, host) in preopens ?? new Dictionary<string, string>())
            arguments.AddRange(["--dir", $"{host}::{guest}"]);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            arguments.AddRange(["--env", $"{name}={value}"]);
        arguments.Add("--");
        arguments.AddRange(args);
        return ProcessRunner.Run(executable, arguments, new ProcessOptions
        {
            WorkingDirectory = workingDirectory,
            StandardInput = standardInput,
            Timeout = TimeSpan.FromSeconds(60),
        });
    }

    /// <summary>Runs a corpus program's executable the way <see cref="CorpusProgram.RunWasm"/> runs it under node.</summary>
    public static ProcessResult RunCorpus(CorpusProgram program, string executable)
    {
        var directory = program.NeedsWorkingDirectory ? RepoPaths.NewScratchDirectory(program.Name) : null;
        try
        {
            var preopens = directory is null ? null : new Dictionary<string, string> { ["."] = directory };
            return Run(executable, program.Args, program.Environment, preopens, directory);
        }
        finally
        {
            if (directory is not null)
                Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Converts WebAssembly text to a binary module with wabt's wat2wasm (names kept), cached by content.</summary>
    public static string Wat(string name, string text)
    {
        var directory = RepoPaths.CacheDirectory("aot-wat");
        var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))[..16];
        var wasm = Path.Combine(directory, $"{name}-{hash}.wasm");
        if (!File.Exists(wasm))
        {
            var wat = Path.ChangeExtension(wasm, ".wat");
            File.WriteAllText(wat, text);
            ProcessRunner.Run(Toolchain.Require("wat2wasm"), ["--debug-names", wat, "-o", wasm]).EnsureSuccess();
        }
        return wasm;
    }
}
