using Dwarfsmith.Debugging.CoreDumps;
using Dwarfsmith.TestSupport;
using Dwarfsmith.Wasm;
using Xunit;

namespace Dwarfsmith.Debugging.Tests;

/// <summary>
/// A pointer to a struct that its unit only declares (an opaque handle) is followed to the
/// struct's definition in another unit, as gdb does: both print the same through the pointer.
/// </summary>
public class OpaqueTypeTests
{
    private const string Handle = """
        /* the handle's unit: struct opaque is only declared here */
        #include <stdio.h>
        struct opaque;
        extern struct opaque instance;
        struct opaque *handle = &instance;
        int value_of(const struct opaque *o);
        int main(void) { printf("%d\n", value_of(handle)); return 0; }
        """;

    private const string Definition = """
        /* the definition's unit */
        struct opaque { int a; short b; const char *name; };
        struct opaque instance = { 7, -9, "seven" };
        int value_of(const struct opaque *o) { return o->a + o->b; }
        """;

    [Fact]
    public void Declared_struct_prints_as_its_definition_elsewhere()
    {
        var folder = Directory.CreateDirectory(Path.Combine(RepoPaths.Cache, "tmp", "coredump-opaque")).FullName;
        var sources = new[] { Path.Combine(folder, "handle.c"), Path.Combine(folder, "definition.c") };
        File.WriteAllText(sources[0], Handle);
        File.WriteAllText(sources[1], Definition);
        var module = WasmModule.ReadFile(CCompiler.Compile(sources, CompileOptions.Wasm(OptLevel.O0)).Path);
        var native = CCompiler.Compile(sources, CompileOptions.Host(OptLevel.O0)).Path;
        var expected = NativeGdb.Print(native, ["*handle", "handle->name"]);

        var session = new CoreDumpSession(new SyntheticDump(module).Build(), module);
        Assert.Equal(NativeGdb.Normalize(expected[0]), NativeGdb.Normalize(session.Print("*handle")));
        Assert.Equal(NativeGdb.Normalize(expected[1]), NativeGdb.Normalize(session.Print("handle->name")));
        Assert.Contains("a = 7, b = -9", session.Print("*handle"), StringComparison.Ordinal);
    }
}
