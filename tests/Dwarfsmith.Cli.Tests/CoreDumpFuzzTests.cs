using Dwarfsmith.TestSupport;
using Xunit;

namespace Dwarfsmith.Cli.Tests;

/// <summary>
/// Damaged dumps through <c>coredump</c>: every run ends with exit 0 (the damage was harmless, or
/// only changed what is shown) or 65 with the file, section and offset; never another exit code,
/// an exception, or a hang.
/// </summary>
public class CoreDumpFuzzTests
{
    private const int Cases = 250;

    [Fact]
    public void Damaged_dumps_exit_0_or_65_with_the_offset()
    {
        var folder = Directory.CreateDirectory(Path.Combine(RepoPaths.Cache, "tmp", "coredump-fuzz")).FullName;
        var modulePath = Corpus.Get("pointers").BuildWasm(OptLevel.O0).Path;
        var original = File.ReadAllBytes(CoreDumpCommandTests.WriteDump(folder, modulePath));
        var malformed = 0;
        for (var seed = 0; seed < Cases; seed++)
        {
            var (bytes, kind, description) = ByteMutator.Mutate(original, seed);
            var path = Path.Combine(folder, $"case-{seed}.core");
            File.WriteAllBytes(path, bytes);
            var started = DateTime.UtcNow;
            var run = CliRun.Of("coredump", path, "--module", modulePath, "--json");
            var context = $"seed {seed} ({kind}: {description}): {run}";
            Assert.True(run.ExitCode is 0 or 65, context);
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(20), "too slow: " + context);
            if (run.ExitCode == 65)
            {
                malformed++;
                Assert.Matches($@"^dwarfsmith: {System.Text.RegularExpressions.Regex.Escape(path)}: at 0x[0-9A-F]+ in [^:]+: .+", run.Error);
            }

            File.Delete(path);
        }

        Assert.True(malformed > Cases / 4, $"only {malformed} of {Cases} damaged dumps were reported malformed");
    }
}
