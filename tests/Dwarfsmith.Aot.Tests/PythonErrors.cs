namespace Dwarfsmith.Aot.Tests;

/// <summary>What Python prints when code lldb runs (a provider, a command) raised.</summary>
internal static class PythonErrors
{
    private static readonly string[] s_marks = ["Traceback (most recent call last)", "Error in sys.excepthook", "RecursionError"];

    public static bool Mentioned(string text) => s_marks.Any(mark => text.Contains(mark, StringComparison.Ordinal));
}
