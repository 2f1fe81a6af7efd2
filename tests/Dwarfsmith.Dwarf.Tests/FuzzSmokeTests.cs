using System.Diagnostics;
using Dwarfsmith.Dwarf.Reading;
using Dwarfsmith.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace Dwarfsmith.Dwarf.Tests;

/// <summary>
/// Thousands of damaged .debug_* sections read completely (units, entries, attributes, expressions,
/// lists, line programs, aranges): the only exception is <see cref="DwarfFormatException"/> with a
/// section and an offset; nothing hangs.
/// </summary>
public class FuzzSmokeTests(ITestOutputHelper output)
{
    // Wasm modules carry wasi-libc's DWARF too, so each read takes longer: fewer seeds.
    public static TheoryData<string, Producer, OptLevel, int, int> Inputs => new()
    {
        { "structs", Producer.Wasm, OptLevel.O2, 4, 25 },
        { "recursion", Producer.Wasm, OptLevel.O2, 5, 20 },
        { "floats", Producer.HostGcc, OptLevel.O2, 5, 250 },
        { "switches", Producer.HostClang, OptLevel.O2, 5, 250 },
        { "pointers", Producer.HostClang, OptLevel.O0, 4, 250 },
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public async Task Damaged_sections_raise_only_DwarfFormatException(string program, Producer producer, OptLevel opt, int dwarfVersion, int seedsPerSection)
    {
        var original = DwarfInputs.Load(DwarfInputs.Build(program, producer, opt, dwarfVersion));
        var names = original.All.Select(s => s.Name).Order(StringComparer.Ordinal).ToList();
        var stopwatch = Stopwatch.StartNew();
        int cases = 0, malformed = 0;
        var work = Task.Run(() =>
        {
            foreach (var name in names)
            {
                var section = original[name];
                for (var seed = 0; seed < seedsPerSection; seed++)
                {
                    var (bytes, kind, description) = ByteMutator.Mutate(section.Data.Span, seed);
                    var damaged = new DwarfSections(
                        original.AddressSize,
                        original.All.Select(s => s.Name == name ? s with { Data = bytes } : s),
                        original.ZeroIsTombstone);
                    cases++;
                    try
                    {
                        DwarfWalker.ReadEverything(new DwarfContext(damaged), format: true);
                    }
                    catch (DwarfFormatException e)
                    {
                        malformed++;
                        Assert.False(string.IsNullOrEmpty(e.Section), $"{name} seed {seed}: no section in '{e.Message}'");
                        Assert.True(e.Offset >= 0, $"{name} seed {seed}: negative offset in '{e.Message}'");
                        Assert.StartsWith("at 0x", e.Message, StringComparison.Ordinal);
                    }
                    catch (Exception e) when (e is not Xunit.Sdk.XunitException)
                    {
                        Assert.Fail($"{name} seed {seed} ({kind}: {description}): {e}");
                    }
                }
            }
        });
        // A hang guard, not a speed test: generous enough for a loaded machine (the work takes seconds).
        var finished = await Task.WhenAny(work, Task.Delay(TimeSpan.FromMinutes(5)));
        Assert.True(finished == work, $"hang? {cases} cases done after {stopwatch.Elapsed}");
        await work;
        output.WriteLine($"{cases} damaged inputs over {names.Count} sections, {malformed} rejected as malformed, {stopwatch.ElapsedMilliseconds} ms");
        Assert.True(cases >= names.Count * seedsPerSection);
        Assert.True(malformed > cases / 10, $"only {malformed} of {cases} damaged inputs were noticed");
    }
}
