namespace Dwarfsmith.TestSupport;

/// <summary>Well-known directories of the repository the tests run from.</summary>
public static class RepoPaths
{
    private const string SolutionFileName = "Dwarfsmith.slnx";

    private static readonly Lazy<string> s_root = new(FindRoot);

    /// <summary>The directory holding Dwarfsmith.slnx (found by walking up from the test assembly).</summary>
    public static string Root => s_root.Value;

    /// <summary>The project's own C programs: <c>&lt;repo&gt;/corpus</c>.</summary>
    public static string Corpus => Path.Combine(Root, "corpus");

    /// <summary>
    /// The shared folder beside the repository (<c>&lt;repo&gt;/../shared</c>); throws a
    /// <see cref="TestEnvironmentException"/> when it is absent.
    /// </summary>
    public static string Shared
    {
        get
        {
            var shared = Path.GetFullPath(Path.Combine(Root, "..", "shared"));
            if (!Directory.Exists(shared))
            {
                throw new TestEnvironmentException(
                    $"The shared folder was not found at {shared}: it must sit beside the repository " +
                    $"({Root}), e.g. `ln -s /work/shared {shared}`.");
            }

            return shared;
        }
    }

    /// <summary>The shared real-world corpus: <c>../shared/corpus</c>.</summary>
    public static string SharedCorpus => Path.Combine(Shared, "corpus");

    /// <summary>Build cache (git-ignored): <c>&lt;repo&gt;/.cache</c>, created on demand.</summary>
    public static string Cache => Directory.CreateDirectory(Path.Combine(Root, ".cache")).FullName;

    /// <summary>Outputs of test runs (git-ignored): <c>&lt;repo&gt;/artifacts</c>, created on demand.</summary>
    public static string Artifacts => Directory.CreateDirectory(Path.Combine(Root, "artifacts")).FullName;

    /// <summary>Reports that test.sh prints after the run: <c>&lt;repo&gt;/artifacts/reports</c>.</summary>
    public static string Reports => Directory.CreateDirectory(Path.Combine(Artifacts, "reports")).FullName;

    /// <summary>A named subdirectory of the cache, created on demand.</summary>
    public static string CacheDirectory(string name) =>
        Directory.CreateDirectory(Path.Combine(Cache, name)).FullName;

    /// <summary>A fresh, empty directory under <c>.cache/tmp</c> for one test's scratch files.</summary>
    public static string NewScratchDirectory(string prefix = "scratch")
    {
        var path = Path.Combine(Cache, "tmp", $"{prefix}-{Environment.ProcessId}-{Guid.NewGuid():N}");
        return Directory.CreateDirectory(path).FullName;
    }

    private static string FindRoot()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("DWARFSMITH_REPO");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            if (!File.Exists(Path.Combine(fromEnvironment, SolutionFileName)))
            {
                throw new TestEnvironmentException($"DWARFSMITH_REPO={fromEnvironment} holds no {SolutionFileName}.");
            }

            return Path.GetFullPath(fromEnvironment);
        }

        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, SolutionFileName)))
                {
                    return dir.FullName;
                }
            }
        }

        throw new TestEnvironmentException(
            $"No {SolutionFileName} found above {AppContext.BaseDirectory}; set DWARFSMITH_REPO to the repository root.");
    }
}
