using Dwarfsmith.Aot.NativeDwarf;
using Dwarfsmith.Dwarf;
using Dwarfsmith.Dwarf.Reading;
using Dwarfsmith.Elf;
using Dwarfsmith.TestSupport;
using Dwarfsmith.Tools;
using Dwarfsmith.Tools.PostLink;
using Dwarfsmith.Wasm;
using Xunit;

namespace Dwarfsmith.Aot.Tests;

/// <summary>
/// <c>aot -g</c> of a module without DWARF (its debug sections stripped, its name section kept):
/// every function is a subprogram of the executable named as the name section names it (the C entry
/// point <c>main</c>), none after the generated C, and gdb breaks on a function by that name and
/// shows it in the backtrace.
/// </summary>
public sealed class NameSectionUnitTests
{
    [SkippableFact]
    public void Without_DWARF_every_function_has_its_name_section_name_and_gdb_breaks_on_it()
    {
        var program = Corpus.Get("pointers");
        var withDwarf = WasmModule.ReadFile(program.BuildWasm(OptLevel.O0).Path);
        var module = WasmModule.Read(DebugInfoStripper.Strip(withDwarf, new StripOptions(KeepNameSection: true)));
        Assert.Equal(0, module.DebugSize);
        var directory = RepoPaths.NewScratchDirectory("name-section");
        try
        {
            var executable = Path.Combine(directory, "pointers");
            AotCompiler.Compile(module, "pointers.wasm", executable, new AotOptions
            {
                OptimizationLevel = 0,
                DebugInfo = true,
                RuntimeCacheDirectory = RepoPaths.CacheDirectory("aot-runtime"),
            });

            var names = SubprogramNames(executable);
            for (var index = (uint)module.ImportedFunctionCount; index < module.FunctionCount; index++)
            {
                var expected = module.FunctionName(index) is "__original_main" or "__main_argc_argv" ? "main" : module.FunctionName(index);
                Assert.Contains(expected!, names);
            }

            Assert.DoesNotContain(names, name => name.StartsWith("f_", StringComparison.Ordinal));
            Assert.Contains(NameSectionUnit.UnitName("pointers.wasm"), UnitNames(executable));

            HostCapabilities.Ptrace.SkipUnlessAvailable();
            var gdb = ProcessRunner.Run(Toolchain.Gdb, ["-batch", "-nx", "-ex", "break push", "-ex", "run", "-ex", "bt", executable]);
            Assert.Matches(@"(?m)^Breakpoint 1, 0x[0-9a-f]+ in push \(\)$", gdb.StandardOutput);
            Assert.Matches(@"(?m)^#1 +0x[0-9a-f]+ in main \(\)$", gdb.StandardOutput);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static DwarfContext Dwarf(string executable) =>
        new(DwarfContainers.FromElf(ElfFile.Read(File.ReadAllBytes(executable))));

    private static HashSet<string> SubprogramNames(string executable)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var unit in Dwarf(executable).Units)
        {
            var cursor = unit.Entries();
            while (cursor.MoveNext())
            {
                if (!cursor.IsNull && cursor.Tag == DwTag.DW_TAG_subprogram && cursor.TryGetAttribute(DwAt.DW_AT_name, out var name))
                    names.Add(unit.GetString(name)!);
            }
        }

        return names;
    }

    private static List<string?> UnitNames(string executable) => Dwarf(executable).Units.Select(u => u.Name).ToList();
}
