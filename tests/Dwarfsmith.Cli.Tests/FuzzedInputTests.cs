using Dwarfsmith.TestSupport;
using Xunit;

namespace Dwarfsmith.Cli.Tests;

/// <summary>
/// Damaged modules through the CLI: every run ends with exit 0 (the damage was harmless) or 65
/// with a message naming the file, the section and the offset, never another code or exception.
/// </summary>
public class FuzzedInputTests
{
    private const int Cases = 400;

    [Theory]
    [InlineData("info")]
    [InlineData("validate")]
    public void Damaged_modules_exit_65_with_the_offset(string command)
    {
        var original = File.ReadAllBytes(Corpus.Get("recursion").BuildWasm(OptLevel.O2).Path);
        var directory = Directory.CreateDirectory(Path.Combine(RepoPaths.Cache, "tmp", "cli-fuzz", command)).FullName;
        var malformed = 0;
        for (var seed = 0; seed < Cases; seed++)
        {
            var (bytes, kind, description) = ByteMutator.Mutate(original, seed);
            var path = Path.Combine(directory, $"case-{seed}.wasm");
            File.WriteAllBytes(path, bytes);
            var run = CliRun.Of(command, path);
            var context = $"seed {seed} ({kind}: {description}): {run}";
            Assert.True(run.ExitCode is 0 or 65, context);
            if (run.ExitCode == 65)
            {
                malformed++;
                Assert.Matches($@"^dwarfsmith: {System.Text.RegularExpressions.Regex.Escape(path)}: at 0x[0-9A-F]+ in [^:]+: .+", run.Error);
            }
            // The input is never modified.
            Assert.Equal(bytes, File.ReadAllBytes(path));
            File.Delete(path);
        }
        // info does not decode code or DWARF, where most damage lands, so it notices less than validate.
        var expectedAtLeast = command == "info" ? Cases / 5 : Cases / 3;
        Assert.True(malformed > expectedAtLeast, $"only {malformed} of {Cases} damaged modules were reported malformed");
    }
}
