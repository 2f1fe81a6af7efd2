using System.Diagnostics;
using System.Globalization;
using System.Text;
using Dwarfsmith.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace Dwarfsmith.Dwarf.Writing.Tests;

/// <summary>
/// Emission speed at SQLite scale (~3.3 MB of DWARF): a synthetic model shaped like clang's output,
/// timed against llvm-dwarfdump --verify on the same sections (the anchor an identity rewrite must beat).
/// </summary>
[Collection(nameof(PerformanceTests))]
public class PerformanceTests(ITestOutputHelper log)
{
    internal static DwarfOutput SqliteSizedModel(ushort version, int unitCount = 150)
    {
        var output = new DwarfOutput();
        var random = new Random(42);
        ulong address = 0x10;
        ulong mainFile = version >= 5 ? 0UL : 1UL, headerFile = mainFile + 1;
        for (int u = 0; u < unitCount; u++)
        {
            var program = new LineProgram(version, 4);
            if (version >= 5)
                program.Directories.Add("/work/sqlite");
            program.Files.Add(new LineFile($"src/file{u}.c", 0));
            program.Files.Add(new LineFile("sqliteInt.h", 0));
            var lineProgram = output.AddLineProgram(program);

            var unit = output.AddUnit(version, 4);
            ulong unitLow = address;
            var root = unit.Root
                .Add(DwAt.DW_AT_producer, AttributeValue.String("clang version 22.1.0 (https://github.com/llvm/llvm-project)"))
                .Add(DwAt.DW_AT_language, AttributeValue.Unsigned(0x1d, DwForm.DW_FORM_data2))
                .Add(DwAt.DW_AT_name, AttributeValue.String($"src/file{u}.c"))
                .Add(DwAt.DW_AT_stmt_list, AttributeValue.LineProgram(lineProgram))
                .Add(DwAt.DW_AT_comp_dir, AttributeValue.String("/work/sqlite"))
                .Add(DwAt.DW_AT_low_pc, AttributeValue.Address(unitLow));
            var types = new List<EntryBuilder>();
            for (int t = 0; t < 60; t++)
            {
                var type = root.AddChild(t % 3 == 0 ? DwTag.DW_TAG_structure_type : DwTag.DW_TAG_typedef)
                    .Add(DwAt.DW_AT_name, AttributeValue.String($"Type{t % 40}"))
                    .Add(DwAt.DW_AT_byte_size, AttributeValue.Unsigned((ulong)(4 * (1 + (t % 7)))))
                    .Add(DwAt.DW_AT_decl_file, AttributeValue.Unsigned(headerFile))
                    .Add(DwAt.DW_AT_decl_line, AttributeValue.Unsigned((ulong)random.Next(1, 20000)));
                if (types.Count > 0)
                    type.Add(DwAt.DW_AT_type, AttributeValue.Reference(types[random.Next(types.Count)]));
                if (type.Tag == DwTag.DW_TAG_structure_type)
                {
                    for (int m = 0; m < 6; m++)
                    {
                        type.AddChild(DwTag.DW_TAG_member)
                            .Add(DwAt.DW_AT_name, AttributeValue.String($"field{m}"))
                            .Add(DwAt.DW_AT_type, AttributeValue.Reference(types.Count > 0 ? types[random.Next(types.Count)] : type))
                            .Add(DwAt.DW_AT_decl_file, AttributeValue.Unsigned(headerFile))
                            .Add(DwAt.DW_AT_decl_line, AttributeValue.Unsigned((ulong)random.Next(1, 20000)))
                            .Add(DwAt.DW_AT_data_member_location, AttributeValue.Unsigned((ulong)(m * 4)));
                    }
                }

                types.Add(type);
            }

            for (int f = 0; f < 25; f++)
            {
                ulong low = address, size = (ulong)random.Next(40, 1200);
                address += size + 3;
                var function = root.AddChild(DwTag.DW_TAG_subprogram)
                    .Add(DwAt.DW_AT_low_pc, AttributeValue.Address(low))
                    .Add(DwAt.DW_AT_high_pc, AttributeValue.Unsigned(size))
                    .Add(DwAt.DW_AT_frame_base, AttributeValue.Expression(Models.FrameBase))
                    .Add(DwAt.DW_AT_name, AttributeValue.String($"sqlite3Function{u}_{f}"))
                    .Add(DwAt.DW_AT_decl_file, AttributeValue.Unsigned(mainFile))
                    .Add(DwAt.DW_AT_decl_line, AttributeValue.Unsigned((ulong)random.Next(1, 200000)))
                    .Add(DwAt.DW_AT_prototyped, AttributeValue.Flag(true))
                    .Add(DwAt.DW_AT_type, AttributeValue.Reference(types[random.Next(types.Count)]));
                for (int v = 0; v < 10; v++)
                {
                    var variable = function.AddChild(v < 4 ? DwTag.DW_TAG_formal_parameter : DwTag.DW_TAG_variable);
                    if (v % 2 == 0)
                    {
                        var list = new LocationList();
                        ulong at = low;
                        for (int e = 0; e < 3; e++)
                        {
                            ulong next = Math.Min(low + size, at + (ulong)random.Next(1, 60));
                            list.Add(at, next, e % 2 == 0 ? Models.Lit0Stack : Models.FbregMinus8);
                            at = next;
                        }

                        variable.Add(DwAt.DW_AT_location, AttributeValue.LocationList(unit.AddLocationList(list)));
                    }
                    else
                    {
                        variable.Add(DwAt.DW_AT_location, AttributeValue.Expression(Models.FbregMinus8));
                    }

                    variable
                        .Add(DwAt.DW_AT_name, AttributeValue.String($"var{v}"))
                        .Add(DwAt.DW_AT_decl_file, AttributeValue.Unsigned(mainFile))
                        .Add(DwAt.DW_AT_decl_line, AttributeValue.Unsigned((ulong)random.Next(1, 200000)))
                        .Add(DwAt.DW_AT_type, AttributeValue.Reference(types[random.Next(types.Count)]));
                }

                var sequence = program.AddSequence(low + size);
                ulong rowAddress = low;
                ulong line = (ulong)random.Next(1, 200000);
                while (rowAddress < low + size)
                {
                    sequence.Rows.Add(new LineRow(rowAddress, mainFile, line, (ulong)random.Next(0, 40)) { IsStmt = random.Next(4) != 0 });
                    rowAddress += (ulong)random.Next(1, 12);
                    line = (ulong)Math.Max(1, (long)line + random.Next(-3, 6));
                }
            }

            var ranges = unit.AddRangeList(new RangeList().Add(unitLow, address));
            root.Add(DwAt.DW_AT_ranges, AttributeValue.RangeList(ranges));
            address += 16;
        }

        return output;
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public void Emits_sqlite_sized_dwarf_faster_than_llvm_dwarfdump_verifies_it(int version)
    {
        var output = SqliteSizedModel((ushort)version);
        var sections = output.Emit();
        for (int i = 0; i < 4; i++)
            sections = output.Emit(); // warm up: let tiered compilation reach optimized code
        Thread.Sleep(200);
        long total = sections.Values.Sum(s => (long)s.Length);
        var best = TimeSpan.MaxValue;
        var bestCpu = TimeSpan.MaxValue;
        long allocated = 0;
        for (int i = 0; i < 10; i++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            sections = output.Emit();
            watch.Stop();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            best = watch.Elapsed < best ? watch.Elapsed : best;
            bestCpu = cpu < bestCpu ? cpu : bestCpu;
        }

        string path = DwarfTool.WriteModule(sections, $"sqlite-sized-v{version}");
        DwarfTool.Verify(path);
        var verifyCpu = TimeSpan.MaxValue;
        for (int i = 0; i < 2; i++)
        {
            var cpu = DwarfTool.VerifyCpuTime(path);
            verifyCpu = cpu < verifyCpu ? cpu : verifyCpu;
        }

        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"# DWARF writer: SQLite-sized synthetic model, DWARF {version} ({(typeof(DwarfOutput).Assembly.GetCustomAttributes(typeof(DebuggableAttribute), false).Cast<DebuggableAttribute>().Any(a => a.IsJITOptimizerDisabled) ? "Debug build: timings are not meaningful" : "Release build")})");
        report.AppendLine();
        report.AppendLine("| section | bytes |");
        report.AppendLine("|---|---:|");
        foreach (var (name, bytes) in sections.OrderBy(s => s.Key, StringComparer.Ordinal))
            report.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {bytes.Length:N0} |");
        report.AppendLine(CultureInfo.InvariantCulture, $"| total | {total:N0} |");
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"emit (best of 10): {best.TotalMilliseconds:F1} ms wall, {bestCpu.TotalMilliseconds:F0} ms CPU, {total / bestCpu.TotalSeconds / 1e6:F0} MB/s, allocated {allocated / 1e6:F1} MB ({(double)allocated / total:F2} bytes per output byte)");
        report.AppendLine(CultureInfo.InvariantCulture, $"llvm-dwarfdump-22 --verify (best of 2): {verifyCpu.TotalMilliseconds:F0} ms CPU; emit/verify CPU ratio {bestCpu / verifyCpu:F3}");
        File.WriteAllText(Path.Combine(RepoPaths.Reports, $"dwarf-writer-v{version}.md"), report.ToString());
        log.WriteLine(report.ToString());

        Assert.InRange(total, 2_500_000, 6_000_000);
        // The ratio means something only with the JIT optimizing the library (Release builds).
        bool optimized = typeof(DwarfOutput).Assembly.GetCustomAttributes(typeof(DebuggableAttribute), false)
            .Cast<DebuggableAttribute>().All(a => !a.IsJITOptimizerDisabled);
        if (optimized)
            Assert.True(bestCpu < verifyCpu / 2, $"emit {bestCpu.TotalMilliseconds} ms vs verify {verifyCpu.TotalMilliseconds} ms (CPU)");
    }
}

[CollectionDefinition(nameof(PerformanceTests), DisableParallelization = true)]
public class PerformanceCollection;
