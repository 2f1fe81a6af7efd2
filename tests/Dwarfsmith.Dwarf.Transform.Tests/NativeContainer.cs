using System.Globalization;
using System.Text.RegularExpressions;
using Dwarfsmith.Dwarf.Collections;
using Dwarfsmith.Dwarf.Reading;
using Dwarfsmith.TestSupport;
using Dwarfsmith.Tools;
using Dwarfsmith.Wasm;
using Xunit;

namespace Dwarfsmith.Dwarf.Transform.Tests;

/// <summary>
/// Output DWARF of address size 8 put where it belongs, in an ELF executable: a host build of a
/// corpus program (clang-22 -g) whose own debug sections llvm-objcopy replaces with the output's.
/// </summary>
internal static partial class NativeContainer
{
    /// <summary>The DWARF sections of a wasm module.</summary>
    public static DwarfContext Wasm(string path) => new(DwarfContainers.FromWasm(WasmModule.ReadFile(path)));

    /// <summary>The DWARF sections of an ELF file.</summary>
    public static DwarfContext Elf(string path) => new(DwarfContainers.FromElf(File.ReadAllBytes(path)));

    /// <summary>A host executable (x86-64, clang-22 -O0 -g) of a corpus program, with the DWARF version given.</summary>
    public static string HostExecutable(string program, int dwarfVersion) =>
        Corpus.Get(program).Build(CompileOptions.Host(OptLevel.O0, dwarfVersion)).Path;

    /// <summary>
    /// Writes a copy of <paramref name="elfPath"/> whose .debug_* sections are <paramref name="sections"/>
    /// (llvm-objcopy removes the old ones and adds these); returns its path.
    /// </summary>
    public static string WriteElf(string elfPath, SectionMap sections, string name)
    {
        string directory = Rewriting.ScratchPath(name + ".sections");
        Directory.CreateDirectory(directory);
        var arguments = new List<string> { "--wildcard", "--remove-section=.debug_*" };
        foreach (var (section, bytes) in sections)
        {
            string file = Path.Combine(directory, section.TrimStart('.'));
            File.WriteAllBytes(file, bytes.ToArray());
            arguments.Add("--add-section");
            arguments.Add($"{section}={file}");
        }

        string output = Rewriting.ScratchPath(name + ".elf");
        arguments.Add(elfPath);
        arguments.Add(output);
        var result = ProcessRunner.Run(Toolchain.Require("llvm-objcopy"), arguments);
        Assert.True(result.Succeeded, result.Describe());
        return output;
    }

    /// <summary>
    /// A dump in which addresses read the same at address size 4 and 8: a 16-digit number below
    /// 2^32 is printed in 8 digits, and the tombstones −1 and −2 of <paramref name="addressSize"/>
    /// as the 4-byte ones (so a 4-byte tombstone left in an 8-byte output, 0x00000000ffffffff, does
    /// not read as one); address sizes print as 4, the container as wasm.
    /// </summary>
    public static string AtAddressSize4(string dump, int addressSize)
    {
        dump = dump.Replace("file format elf64-x86-64", "file format WASM", StringComparison.Ordinal);
        dump = SixteenDigits().Replace(dump, m =>
        {
            ulong value = ulong.Parse(m.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            return value switch
            {
                ulong.MaxValue => "0xffffffff",
                ulong.MaxValue - 1 => "0xfffffffe",
                0xFFFFFFFF or 0xFFFFFFFE when addressSize == 8 => "0xLIVE" + m.Groups[1].Value,
                < 0x1_0000_0000 => $"0x{value:x8}",
                _ => m.Value,
            };
        });
        if (addressSize == 4)
        {
            // A dead entry of a 4-byte list: its tombstone base plus an offset, which llvm-dwarfdump
            // sums without wrapping; at 8 bytes the sum wraps.
            dump = PastFourBytes().Replace(dump, "0x$1");
        }

        return AddressSize8().Replace(dump, m => m.Value.Replace('8', '4'));
    }

    [GeneratedRegex("0x1([0-9a-f]{8})(?![0-9a-f])")]
    private static partial Regex PastFourBytes();

    [GeneratedRegex("0x([0-9a-f]{16})")]
    private static partial Regex SixteenDigits();

    [GeneratedRegex("(addr_size = 0x08|address_size: 8|addr_size: 0x08)")]
    private static partial Regex AddressSize8();
}
