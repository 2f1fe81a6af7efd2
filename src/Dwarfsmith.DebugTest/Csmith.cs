using System.Globalization;

namespace Dwarfsmith.DebugTest;

/// <summary>
/// Generates the random programs: Csmith with a fixed profile suited to stepping in a debugger. Csmith's
/// output depends only on its version, the seed and the flags, so a seed names the same program on every run.
/// </summary>
public static class Csmith
{
    /// <summary>Where Debian's csmith package keeps <c>csmith.h</c>.</summary>
    public const string IncludeDirectory = "/usr/include/csmith";

    /// <summary>
    /// The profile (see docs/ARCHITECTURE.md, Dwarfsmith.DebugTest). Like Assaiante et al. (ASPLOS'23), who
    /// tuned Csmith for debug-information testing, it keeps the program's state small and its control flow
    /// steppable: no unions, bitfields or packed structs (their layout and their DWARF are not what is
    /// tested, and wasm32 and the host may lay them out differently); no volatiles (their reads are
    /// side effects); no comma operators (a whole expression on one line hides steps); at most 4
    /// functions besides main, blocks at most 3 deep and 4 statements long, expressions of complexity at most 5;
    /// arrays of at most 2 dimensions; structs of at most 4 fields; no inline attributes (an inlined call
    /// is not a step into the function on both sides alike). Csmith's checksum stays: it prints the same
    /// line on both sides, which the harness compares.
    /// </summary>
    public static IReadOnlyList<string> Profile { get; } =
    [
        "--no-unions", "--no-bitfields", "--no-packed-struct",
        "--no-volatiles", "--no-volatile-pointers", "--no-comma-operators",
        "--no-inline-function", "--no-builtins",
        "--max-funcs", "4", "--max-block-depth", "3", "--max-block-size", "4",
        "--max-expr-complexity", "5", "--max-array-dim", "2", "--max-array-len-per-dim", "4",
        "--max-struct-fields", "4", "--max-pointer-depth", "2",
    ];

    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(1);

    /// <summary>The program for a seed, generated into <c>DIR/csmith/seedN.c</c> unless it is there already.</summary>
    public static TestProgram Generate(long seed, string cacheDirectory)
    {
        var directory = Directory.CreateDirectory(Path.Combine(cacheDirectory, "csmith", Fingerprint())).FullName;
        var name = TestProgram.SeedName(seed);
        var path = Path.Combine(directory, name + ".c");
        if (!File.Exists(path))
        {
            var csmith = ToolRunner.Require("csmith", "csmith");
            var result = ToolRunner.Run(csmith, ["--seed", seed.ToString(CultureInfo.InvariantCulture), .. Profile], s_timeout);
            if (!result.Succeeded)
                throw new DebugTestException($"csmith --seed {seed} failed: {result.StandardError}");
            CacheFiles.WriteAtomically(path, result.StandardOutput);
        }
        return new TestProgram(name, path, seed, [IncludeDirectory]);
    }

    /// <summary>A short hash of the profile, so that a changed profile never reuses programs of another.</summary>
    private static string Fingerprint() => CacheFiles.Hash(string.Join(' ', Profile))[..12];
}
