using Xunit;

namespace Dwarfsmith.TestSupport.Tests;

/// <summary>The build cache: stable keys, hits on the second build, new keys on any change, parallel safety.</summary>
public sealed class CCompilerCacheTests : IDisposable
{
    private readonly string _scratch = RepoPaths.NewScratchDirectory("cache-test");

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact]
    public void Second_build_is_a_cache_hit_with_the_same_key()
    {
        var source = WriteSource("hit.c", 1);
        var first = CCompiler.Compile(source, CompileOptions.Wasm());
        var second = CCompiler.Compile(source, CompileOptions.Wasm());
        Assert.False(first.CacheHit);
        Assert.True(second.CacheHit);
        Assert.Equal(first.Key, second.Key);
        Assert.Equal(first.Path, second.Path);
        Assert.Equal(64, first.Key.Length);
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(first.Path)!, "command.txt")));
    }

    [Fact]
    public void Corpus_builds_hit_the_cache_the_second_time()
    {
        var program = Corpus.Get("switches");
        foreach (var (opt, dwarf) in Corpus.StandardVariants)
        {
            program.BuildWasm(opt, dwarf);
            var again = program.BuildWasm(opt, dwarf);
            Assert.True(again.CacheHit);
        }
    }

    [Fact]
    public void Any_change_of_content_flags_or_target_changes_the_key()
    {
        var source = WriteSource("change.c", 1);
        var keys = new[]
        {
            CCompiler.Compile(source, CompileOptions.Wasm()).Key,
            CCompiler.Compile(source, CompileOptions.Wasm(OptLevel.O2)).Key,
            CCompiler.Compile(source, CompileOptions.Wasm(OptLevel.O0, 5)).Key,
            CCompiler.Compile(source, CompileOptions.Wasm() with { ObjectOnly = true }).Key,
            CCompiler.Compile(source, CompileOptions.Wasm() with { Flags = ["-DEXTRA=1"] }).Key,
            CCompiler.Compile(source, CompileOptions.Host()).Key,
            CCompiler.Compile(source, CompileOptions.Host(compiler: CompileTarget.HostGcc)).Key,
        };
        Assert.Equal(keys.Length, keys.Distinct().Count());

        var before = CCompiler.Compile(source, CompileOptions.Wasm());
        WriteSource("change.c", 2);
        var after = CCompiler.Compile(source, CompileOptions.Wasm());
        Assert.NotEqual(before.Key, after.Key);
        Assert.False(after.CacheHit);
        Assert.Equal("2\n", NodeWasi.Run(after.Path).EnsureSuccess().StandardOutput);
    }

    [Fact]
    public void Parallel_builds_of_one_key_compile_once()
    {
        var source = WriteSource("parallel.c", 7);
        var results = new BuildOutput[8];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            results[i] = CCompiler.Compile(source, CompileOptions.Wasm(OptLevel.O1)));
        Assert.Single(results, r => !r.CacheHit);
        Assert.Single(results.Select(r => r.Path).Distinct());
        Assert.Equal("7\n", NodeWasi.Run(results[0].Path).EnsureSuccess().StandardOutput);
        // Nothing half-written is left beside the outputs.
        var cacheRoot = RepoPaths.CacheDirectory("build");
        Assert.DoesNotContain(Directory.EnumerateDirectories(cacheRoot), d => Path.GetFileName(d).StartsWith($"tmp-{Environment.ProcessId}-", StringComparison.Ordinal)
            && Directory.EnumerateFiles(d).Any(f => f.EndsWith("parallel.wasm", StringComparison.Ordinal)));
    }

    [Fact]
    public void Compile_errors_carry_the_compiler_message()
    {
        var source = Path.Combine(_scratch, "broken.c");
        File.WriteAllText(source, "int main(void) { return undefined_name; }\n");
        var ex = Assert.Throws<ToolFailedException>(() => CCompiler.Compile(source, CompileOptions.Wasm()));
        Assert.Contains("undefined_name", ex.Message, StringComparison.Ordinal);
        Assert.NotNull(ex.Result);
    }

    private string WriteSource(string name, int value)
    {
        var path = Path.Combine(_scratch, name);
        File.WriteAllText(path, $"#include <stdio.h>\nint main(void) {{ printf(\"%d\\n\", {value}); return 0; }}\n");
        return path;
    }
}
