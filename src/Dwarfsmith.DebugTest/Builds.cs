namespace Dwarfsmith.DebugTest;

/// <summary>What a side is compiled for.</summary>
public enum BuildTarget
{
    /// <summary>wasm32-wasi with clang-22 and Debian's wasi-libc.</summary>
    Wasm32Wasi,

    /// <summary>The host with clang-22: i386 (<c>-m32</c>) where the machine runs 32-bit programs, else x86-64.</summary>
    Host,
}

/// <summary>
/// Compiles a program for one side with clang-22, cached under <c>CACHE/build/KEY/</c> by a hash of the
/// compiler's version, the flags and the source (path and contents: the path is in the DWARF).
/// </summary>
public sealed class Builds(string cacheDirectory)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(5);
    private static readonly Lazy<string> s_clang = new(() => ToolRunner.Require("clang-22", "clang-22"));
    private static readonly Lazy<string> s_clangVersion = new(() =>
        ToolRunner.Run(s_clang.Value, ["--version"], s_timeout).StandardOutput.Split('\n')[0]);
    private static readonly Lazy<bool> s_host32 = new(ProbeHost32);

    /// <summary>
    /// Flags both sides share, after <c>-g -O&lt;n&gt;</c>. <c>-ftrivial-auto-var-init=zero</c>: a local read
    /// before its first assignment holds zero on both sides rather than whatever the stack held (an exclusion
    /// rule by construction, see docs). DWARF 4 on both sides (clang's default for wasm).
    /// </summary>
    public static IReadOnlyList<string> CommonFlags { get; } = ["-gdwarf-4", "-ftrivial-auto-var-init=zero", "-w"];

    /// <summary>
    /// The i386 host side. Position-dependent (<c>-fno-pic -no-pie</c>): i386 PIC code at -O0 reloads the GOT base
    /// into ebx after every call, an instruction of the call's line after it, so that a <c>finish</c> out of a
    /// function without lines (libc, Csmith's headers) landed natively in the middle of the call's line and the
    /// stepping rules recorded that line twice, where a wasm engine's return lands on the next line's first
    /// instruction (measured on seed 1: every stop after <c>platform_main_begin();</c> one behind). A property of
    /// i386 PIC, not of debug information; x86-64's PC-relative code has no such reload.
    /// </summary>
    private static readonly string[] s_host32Flags = ["-m32", "-msse2", "-mfpmath=sse", "-fno-pic", "-no-pie"];

    /// <summary>
    /// True when the host builds are i386 (<c>-m32</c>): probed once by building and running a program.
    /// <c>DWARFSMITH_DEBUGTEST_HOST=x86-64</c> forces the fallback (what a machine without 32-bit support gets).
    /// </summary>
    public static bool Host32 => Environment.GetEnvironmentVariable("DWARFSMITH_DEBUGTEST_HOST") != "x86-64" && s_host32.Value;

    public string CacheDirectory { get; } = Path.GetFullPath(cacheDirectory);

    /// <summary>The compiler's arguments for one side (without the output).</summary>
    public static List<string> Arguments(TestProgram program, BuildTarget target, int optimization, IReadOnlyList<string> extraFlags)
    {
        var args = target == BuildTarget.Wasm32Wasi
            ? new List<string> { "--target=wasm32-wasi", "-Wno-deprecated", "--sysroot=/usr", "--no-wasm-opt" }
            : Host32 ? [.. s_host32Flags] : [];
        args.Add("-g");
        args.Add("-O" + optimization);
        args.AddRange(CommonFlags);
        foreach (var include in program.IncludeDirectories)
            args.Add("-I" + include);
        args.AddRange(extraFlags);
        return args;
    }

    /// <summary>Builds (or finds in the cache) one side of a program; returns the output's path.</summary>
    /// <param name="source">The C file to compile (the program's, or a damaged copy for self-checks).</param>
    public string Build(TestProgram program, string source, BuildTarget target, int optimization, IReadOnlyList<string> extraFlags)
    {
        var args = Arguments(program, target, optimization, extraFlags);
        var outputName = Path.GetFileNameWithoutExtension(source) + (target == BuildTarget.Wasm32Wasi ? ".wasm" : "");
        var key = CacheFiles.Hash(string.Join('\n', [s_clangVersion.Value, .. args, outputName, source, CacheFiles.HashFile(source)]))[..32];
        var directory = Path.Combine(CacheDirectory, "build", key);
        var output = Path.Combine(directory, outputName);
        if (File.Exists(output))
            return output;
        var staged = Path.Combine(CacheDirectory, "build", $"tmp-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staged);
        var result = ToolRunner.Run(s_clang.Value, [.. args, source, "-o", Path.Combine(staged, outputName)], s_timeout,
            workingDirectory: Path.GetDirectoryName(source));
        if (!result.Succeeded)
        {
            Directory.Delete(staged, recursive: true);
            throw new DebugTestException($"clang-22 failed on {source} ({target} -O{optimization}):\n{result.StandardError}");
        }
        File.WriteAllText(Path.Combine(staged, "command.txt"), ToolRunner.CommandLine(s_clang.Value, [.. args, source]) + "\n");
        CacheFiles.Publish(staged, directory);
        return output;
    }

    /// <summary>Can this machine build and run an i386 program? (Some CI kernels cannot execute 32-bit code.)</summary>
    private static bool ProbeHost32()
    {
        var directory = Directory.CreateTempSubdirectory("dwarfsmith-m32-");
        try
        {
            var source = Path.Combine(directory.FullName, "probe.c");
            File.WriteAllText(source, "int main(void) { return sizeof(void *) == 4 ? 0 : 1; }\n");
            var exe = Path.Combine(directory.FullName, "probe");
            var build = ToolRunner.Run(s_clang.Value, ["-m32", source, "-o", exe], s_timeout);
            return build.Succeeded && ToolRunner.Run(exe, [], s_timeout).Succeeded;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
