using Dwarfsmith.TestSupport;
using Xunit;

namespace Dwarfsmith.Wasm.Tests.Modules;

/// <summary>
/// Thousands of damaged corpus modules through reader, typed custom sections, instruction decoder
/// and validator: the only exception allowed is <see cref="WasmFormatException"/>, and no case may hang.
/// </summary>
public class FuzzSmokeTests
{
    private const int CasesPerModule = 700;
    // A hang guard, not a speed test (a case takes milliseconds): generous enough for a loaded machine.
    private static readonly TimeSpan CaseTimeout = TimeSpan.FromMinutes(2);

    public static TheoryData<string, OptLevel> Inputs => new()
    {
        { "structs", OptLevel.O0 },
        { "pointers", OptLevel.O2 },
        { "switches", OptLevel.O2 },
        { "floats", OptLevel.O0 },
        { "varargs", OptLevel.O2 },
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public async Task Mutated_modules_raise_only_format_errors(string program, OptLevel opt)
    {
        var original = File.ReadAllBytes(Corpus.Get(program).BuildWasm(opt).Path);
        Assert.Null(WasmChecks.CheckEverything(original));
        var rejected = 0;
        for (var seed = 0; seed < CasesPerModule; seed++)
        {
            var (bytes, kind, description) = ByteMutator.Mutate(original, seed);
            WasmFormatException? error;
            try
            {
                error = await Task.Run(() => WasmChecks.CheckEverything(bytes)).WaitAsync(CaseTimeout);
            }
            catch (TimeoutException)
            {
                Assert.Fail($"{program} seed {seed} ({kind}: {description}) did not finish in {CaseTimeout.TotalSeconds} s");
                throw;
            }
            catch (Exception ex)
            {
                Assert.Fail($"{program} seed {seed} ({kind}: {description}) threw {ex.GetType().Name}: {ex}");
                throw;
            }
            if (error is not null)
            {
                rejected++;
                Assert.Matches(@"^at 0x[0-9A-F]+ in .+: .+", error.Message);
                Assert.InRange(error.Offset, 0, bytes.Length);
            }
        }
        // Most damage must be noticed; a fuzzer whose mutations all pass would prove nothing.
        Assert.True(rejected > CasesPerModule / 3, $"only {rejected} of {CasesPerModule} mutations were rejected");
    }
}
