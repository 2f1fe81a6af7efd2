using Dwarfsmith.Dwarf.Reading;
using Dwarfsmith.TestSupport;
using Dwarfsmith.Tools;
using Dwarfsmith.Wasm;

namespace Dwarfsmith.Dwarf.Tests;

/// <summary>The toolchain variants the tests read: wasm, host clang, host gcc.</summary>
public enum Producer
{
    Wasm,
    HostClang,
    HostGcc,
}

/// <summary>Builds and loads the files whose DWARF the tests read.</summary>
internal static class DwarfInputs
{
    public static string Build(string program, Producer producer, OptLevel opt, int dwarfVersion) => producer switch
    {
        Producer.Wasm => Corpus.Get(program).BuildWasm(opt, dwarfVersion).Path,
        Producer.HostClang => CCompiler.Compile(Corpus.Get(program).SourcePath, CompileOptions.Host(opt, dwarfVersion, CompileTarget.HostClang)).Path,
        _ => CCompiler.Compile(Corpus.Get(program).SourcePath, CompileOptions.Host(opt, dwarfVersion, CompileTarget.HostGcc)).Path,
    };

    /// <summary>The DWARF sections of a wasm module or an ELF file.</summary>
    public static DwarfSections Load(string path) => Load(File.ReadAllBytes(path));

    public static DwarfSections Load(byte[] bytes) =>
        bytes.Length >= 4 && bytes[0] == 0 && bytes[1] == (byte)'a'
            ? DwarfContainers.FromWasm(WasmModule.Read(bytes))
            : DwarfContainers.FromElf(bytes);

    public static IEnumerable<object[]> Variants()
    {
        foreach (var program in Corpus.Programs)
        {
            foreach (var (opt, dwarf) in Corpus.StandardVariants)
            {
                foreach (var producer in Enum.GetValues<Producer>())
                    yield return [program.Name, producer, opt, dwarf];
            }
        }
    }
}
