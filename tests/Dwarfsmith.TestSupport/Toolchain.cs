using System.Collections.Concurrent;

namespace Dwarfsmith.TestSupport;

/// <summary>
/// Finds the external tools the tests drive (LLVM 22, wabt, Binaryen, node, debuggers) and says
/// clearly what is missing. Install them all with <c>scripts/install-toolchain.sh</c>.
/// </summary>
public static class Toolchain
{
    /// <summary>Where Debian's LLVM 22 keeps its unversioned binaries.</summary>
    public const string LlvmBin = "/usr/lib/llvm-22/bin";

    /// <summary>The LLVM major version the project builds with.</summary>
    public const int LlvmMajor = 22;

    /// <summary>The install script, relative to the repository root.</summary>
    public const string InstallScript = "scripts/install-toolchain.sh";

    // Tools shipped by LLVM: looked up as /usr/lib/llvm-22/bin/NAME, then NAME-22 on PATH.
    private static readonly HashSet<string> s_llvmTools = new(StringComparer.Ordinal)
    {
        "clang", "clang++", "wasm-ld", "ld.lld", "lldb", "lldb-server",
        "llvm-dwarfdump", "llvm-objdump", "llvm-readobj", "llvm-readelf", "llvm-objcopy",
        "llvm-strip", "llvm-nm", "llvm-ar", "llvm-symbolizer", "llvm-addr2line", "llvm-mc", "llvm-dwarfutil",
    };

    private static readonly ConcurrentDictionary<string, string?> s_found = new(StringComparer.Ordinal);
    private static readonly Lazy<string> s_clangVersion = new(() => FirstLine(Clang, "--version"));
    private static readonly Lazy<string> s_gccVersion = new(() => FirstLine(Gcc, "--version"));

    public static string Clang => Require("clang");

    public static string WasmLd => Require("wasm-ld");

    public static string LlvmDwarfdump => Require("llvm-dwarfdump");

    public static string LlvmObjdump => Require("llvm-objdump");

    public static string LlvmReadobj => Require("llvm-readobj");

    public static string Lldb => Require("lldb");

    public static string WasmObjdump => Require("wasm-objdump");

    public static string WasmValidate => Require("wasm-validate");

    public static string Wast2Json => Require("wast2json");

    public static string WasmOpt => Require("wasm-opt");

    public static string Node => Require("node");

    public static string Gdb => Require("gdb");

    public static string Gcc => Require("gcc");

    public static string Csmith => Require("csmith");

    /// <summary>First line of <c>clang --version</c>, e.g. "Debian clang version 22.1.8 (1~deb12u1)"; part of every cache key.</summary>
    public static string ClangVersion => s_clangVersion.Value;

    /// <summary>First line of <c>gcc --version</c>.</summary>
    public static string GccVersion => s_gccVersion.Value;

    /// <summary>
    /// The path of a tool: an LLVM tool by its unversioned name ("clang", "wasm-ld", "llvm-dwarfdump",
    /// "lldb"; the "-22" suffixed name works too), anything else by its name on PATH. Null when absent.
    /// </summary>
    public static string? Find(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return s_found.GetOrAdd(name, Locate);
    }

    /// <summary>The path of a tool, or a <see cref="TestEnvironmentException"/> saying how to install it.</summary>
    public static string Require(string name) =>
        Find(name) ?? throw new TestEnvironmentException(
            $"The tool `{name}` was not found (looked in {LlvmBin} and PATH). " +
            $"Run `{InstallScript}` (or `./test.sh`, which runs it) to install the toolchain.");

    /// <summary>True when the tool is present; for tests that would rather skip than fail.</summary>
    public static bool Has(string name) => Find(name) is not null;

    private static string? Locate(string name)
    {
        var baseName = name.EndsWith($"-{LlvmMajor}", StringComparison.Ordinal) ? name[..^($"-{LlvmMajor}".Length)] : name;
        if (s_llvmTools.Contains(baseName))
        {
            var inLlvm = Path.Combine(LlvmBin, baseName);
            if (File.Exists(inLlvm))
            {
                return inLlvm;
            }

            return SearchPath($"{baseName}-{LlvmMajor}");
        }

        return SearchPath(name);
    }

    private static string? SearchPath(string name)
    {
        if (name.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(name) ? Path.GetFullPath(name) : null;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static string FirstLine(string tool, string argument)
    {
        var result = ProcessRunner.Run(tool, [argument], new ProcessOptions { Timeout = TimeSpan.FromSeconds(30) }).EnsureSuccess();
        var text = result.StandardOutput.Length > 0 ? result.StandardOutput : result.StandardError;
        return text.Split('\n', 2)[0].Trim();
    }
}
