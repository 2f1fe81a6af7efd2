using System.Text.Json;
using Dwarfsmith.TestSupport;
using Dwarfsmith.Wasm;
using Xunit;

namespace Dwarfsmith.Cli.Tests;

public class InfoCommandTests
{
    private static string SamplePath => Path.Combine(RepoPaths.Root, "src", "Dwarfsmith.Cli", "Sample", "sample.wasm");

    [Fact]
    public void Text_lists_sections_functions_and_custom_sections()
    {
        var run = CliRun.Of("info", SamplePath);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("code ", run.Output, StringComparison.Ordinal);
        Assert.Contains("custom \".debug_info\"", run.Output, StringComparison.Ordinal);
        Assert.Contains(" fib (i32) -> (i32)", run.Output, StringComparison.Ordinal);
        Assert.Contains("Target features:", run.Output, StringComparison.Ordinal);
        Assert.Empty(run.Error);
    }

    [Fact]
    public void Json_describes_the_same_module_as_the_library()
    {
        var run = CliRun.Of("info", SamplePath, "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        var module = WasmModule.ReadFile(SamplePath);
        using var json = JsonDocument.Parse(run.Output);
        var root = json.RootElement;
        Assert.Equal(module.Sections.Count, root.GetProperty("sections").GetArrayLength());
        Assert.Equal(module.Imports.Count, root.GetProperty("imports").GetArrayLength());
        var functions = root.GetProperty("functions").EnumerateArray().ToList();
        Assert.Equal(module.Bodies.Count, functions.Count);
        var fib = functions.Single(f => f.TryGetProperty("name", out var n) && n.GetString() == "fib");
        Assert.True(module.TryGetBody(fib.GetProperty("index").GetUInt32(), out var body));
        Assert.Equal(body.CodeOffset, fib.GetProperty("codeOffset").GetUInt32());
        Assert.Equal(body.Offset, fib.GetProperty("fileOffset").GetInt64());
    }

    [Fact]
    public void Missing_file_exits_66()
    {
        var run = CliRun.Of("info", "/nonexistent/x.wasm");
        Assert.Equal(66, run.ExitCode);
        Assert.Contains("/nonexistent/x.wasm", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_usage_exits_64()
    {
        Assert.Equal(64, CliRun.Of("info").ExitCode);
        Assert.Equal(64, CliRun.Of("no-such-command").ExitCode);
        Assert.Equal(64, CliRun.Of("info", SamplePath, "--bogus").ExitCode);
    }

    [Fact]
    public void Truncated_module_exits_65_naming_file_section_and_offset()
    {
        var bytes = File.ReadAllBytes(SamplePath);
        var path = Path.Combine(Directory.CreateDirectory(Path.Combine(RepoPaths.Cache, "tmp", "cli-tests")).FullName, "truncated.wasm");
        File.WriteAllBytes(path, bytes[..300]);
        var run = CliRun.Of("info", path);
        Assert.Equal(65, run.ExitCode);
        Assert.Matches(@"truncated\.wasm: at 0x[0-9A-F]+ in \w+ section: ", run.Error);
        Assert.Empty(run.Output);
    }
}
